// Browser glue for the exports (src/view/export.rs): the clipboard. Kept in
// JavaScript because it is a few lines here and many bindings in Rust. (The trace
// file and Perfetto's postMessage protocol are www/exports.js, loaded on first use.)

/** Copies `text` to the clipboard; resolves to whether it worked. */
export function copyText(text) {
  if (!navigator.clipboard?.writeText) return Promise.resolve(false);
  return navigator.clipboard.writeText(text).then(() => true, () => false);
}
