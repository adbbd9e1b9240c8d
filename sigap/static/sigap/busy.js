// Shows that SIGAP is working on a request that can take a while. A form marked data-busy disables its button
// once submitted (no second upload of the same file) and shows the message of data-busy in its
// [data-busy-status] element; a download link marked data-busy shows its message in the [data-busy-status]
// element of its container. Without JavaScript forms and links work the same, without the message.
(function () {
  function show(container, message) {
    var status = container && container.querySelector("[data-busy-status]");
    if (status) {
      status.textContent = message;
      status.hidden = false;
    }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-busy]") || event.defaultPrevented) return;
    var button = form.querySelector("button[type=submit], button:not([type])");
    if (button) {
      // Disabled after this event, so the browser still sends the form.
      window.setTimeout(function () { button.disabled = true; }, 0);
    }
    show(form, form.getAttribute("data-busy"));
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-busy]");
    if (!link) return;
    show(link.closest("[data-busy-area]"), link.getAttribute("data-busy"));
  });
})();
