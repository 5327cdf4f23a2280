//! The proof that the pipeline is real, at the top of the lesson page: two sleeps and
//! one fetch, run concurrently ([`PYTHON`] is the asyncio it mirrors).
//!
//! Three tasks start together and each waits on something real — two browser timers
//! and one HTTP request to the demo API. Together they take about as long as the
//! longest (~200 ms), not the sum (~450 ms).

use super::About;
use crate::runtime::{get_json, join_all, sleep, task, Recorder};
use crate::Error;

/// What the lesson page's proof section shows: its Python and the Rust below.
pub static ABOUT: About = About {
    id: "proof",
    title: "Three waits, one thread",
    text: &[],
    python: PYTHON,
    source: excerpt!("proof.rs"),
    // (Rust line, Python line) where both await the same thing.
    awaits: &[(4, 3), (8, 4), (12, 5), (14, 2)],
};

/// The asyncio program the proof mirrors.
const PYTHON: &str = r#"async def main():
    await asyncio.gather(
        asyncio.sleep(0.100),
        asyncio.sleep(0.200),
        fetch("api/users/1?delay_ms=150"),
    )"#;

// The code between the markers is what the page shows, wrapped by hand for its
// narrow code column: `#[rustfmt::skip]` keeps rustfmt's wider lines out of it, and
// build.rs leaves those attributes out of what the page shows.
// lesson:start
/// Runs the three tasks concurrently and waits for all of them.
#[rustfmt::skip]
pub async fn run(rec: &Recorder) {
    let sleep_100 = task("sleep 100 ms").recorder(rec).spawn(async {
        sleep(100.0).await;
        Ok::<(), Error>(())
    });
    let sleep_200 = task("sleep 200 ms").recorder(rec).spawn(async {
        sleep(200.0).await;
        Ok::<(), Error>(())
    });
    let fetch_150 = task("fetch 150 ms").recorder(rec).spawn(async {
        get_json("api/users/1?delay_ms=150").await.map(drop)
    });
    join_all([sleep_100, sleep_200, fetch_150]).await;
}
// lesson:end
