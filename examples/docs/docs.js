// The example book's own script (no inline script anywhere: the page runs under a
// strict Content-Security-Policy).
//
// 1. The demo API. This book lives in `examples/docs/`, in the repository (served
//    by `cargo xtask serve`, which answers `/api/…`) and in the static site of
//    `cargo xtask dist` alike, two folders below the site's root: there the site's
//    Service Worker (`../../sw.js`) covers it and answers `../../api/…`. Hence
//    `api-base="../../api/"` on the lessons that fetch.
//    `<html data-api>` says who answers once known.
// 2. The theme switch. It sets `color-scheme` on <html> (docs.css); the lessons
//    follow the scheme the page uses, with no extra wiring.
import { ensureDemoApi } from "../../www/api.js";

const root = document.documentElement;

ensureDemoApi(new URL("../../", document.baseURI)).then(({ mode }) => {
  root.dataset.api = mode;
});

const toggle = document.getElementById("theme");
const stored = (() => {
  try {
    return localStorage.getItem("book-theme");
  } catch {
    return null; // storage blocked: follow the system
  }
})();

function apply(theme) {
  root.dataset.theme = theme;
  toggle.setAttribute("aria-pressed", String(theme === "dark"));
}

apply(stored ?? (matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light"));
toggle.addEventListener("click", () => {
  const next = root.dataset.theme === "dark" ? "light" : "dark";
  apply(next);
  try {
    localStorage.setItem("book-theme", next);
  } catch {
    // not remembered; fine
  }
});
