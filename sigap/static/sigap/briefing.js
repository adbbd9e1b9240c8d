/* The briefing as a presentation: one slide at a time, arrow keys (or a tap) to move, Escape for the overview. */
(function () {
  "use strict";
  var slides = Array.prototype.slice.call(document.querySelectorAll(".deck .slide"));
  var counter = document.getElementById("slide-counter");
  var current = 0;
  if (!slides.length) { return; }

  function show(index) {
    current = Math.max(0, Math.min(slides.length - 1, index));
    slides.forEach(function (slide, i) { slide.classList.toggle("current", i === current); });
    if (counter) { counter.textContent = (current + 1) + " / " + slides.length; }
  }
  function present(on) {
    document.body.classList.toggle("presenting", on);
    if (on) { show(current); }
  }
  var button = document.getElementById("present");
  if (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      present(true);
      if (document.documentElement.requestFullscreen) { document.documentElement.requestFullscreen().catch(function () {}); }
    });
  }
  document.addEventListener("keydown", function (event) {
    var next = ["ArrowRight", "ArrowDown", "PageDown", " "].indexOf(event.key) >= 0;
    var previous = ["ArrowLeft", "ArrowUp", "PageUp"].indexOf(event.key) >= 0;
    if (event.key === "Escape") { present(false); return; }
    if (!next && !previous) { return; }
    event.preventDefault();
    if (!document.body.classList.contains("presenting")) { present(true); return; }
    show(current + (next ? 1 : -1));
  });
  slides.forEach(function (slide, i) {
    slide.addEventListener("click", function () {
      if (document.body.classList.contains("presenting")) { show(current + 1); } else { current = i; present(true); }
    });
  });
  document.addEventListener("fullscreenchange", function () {
    if (!document.fullscreenElement) { present(false); }
  });
  show(0);
})();
