// A form marked data-busy shows that it is being processed once submitted: its button is disabled (no second
// upload of the same file) and the message of data-busy appears beside it. Without JavaScript the form works the
// same, without the message.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.matches || !form.matches("form[data-busy]") || event.defaultPrevented) return;
  var button = form.querySelector("button[type=submit], button:not([type])");
  var status = form.querySelector("[data-busy-status]");
  if (button) {
    // Disabled after this event, so the browser still sends the form.
    window.setTimeout(function () { button.disabled = true; }, 0);
  }
  if (status) {
    status.textContent = form.getAttribute("data-busy");
    status.hidden = false;
  }
});
