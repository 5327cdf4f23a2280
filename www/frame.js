// The iframe form of a lesson: index.html?lesson=ID&embed (see boot.js).
// A classic script in <head>, so it runs before the first paint: it marks <html>
// and style.css then hides everything but the lesson from the start — the frame
// never flashes the whole page.
if (new URLSearchParams(location.search).has("embed")) document.documentElement.dataset.embed = "";
