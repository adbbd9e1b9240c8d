/* A document's lines: "Tambah baris" copies the formset's empty line into the page instead of posting the form.
   Without this script the same button posts the form and the page comes back with one more empty line. */
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("fieldset[data-lines]"), function (fieldset) {
    var prefix = fieldset.getAttribute("data-lines");
    var total = fieldset.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    var most = fieldset.querySelector("input[name='" + prefix + "-MAX_NUM_FORMS']");
    var empty = fieldset.querySelector("template[data-lines-empty]");
    var button = fieldset.querySelector("[data-lines-add]");
    var full = fieldset.querySelector("[data-lines-full]");
    if (!total || !empty || !button) { return; }

    button.addEventListener("click", function (event) {
      event.preventDefault();
      var count = parseInt(total.value, 10) || 0;
      if (most && count >= parseInt(most.value, 10)) {
        if (full) { full.hidden = false; }
        return;
      }
      var copy = document.createElement("template");
      copy.innerHTML = empty.innerHTML.replace(/__prefix__/g, String(count))
        .replace(/__number__/g, String(count + 1));
      var row = copy.content.firstElementChild;
      fieldset.insertBefore(copy.content, empty);
      total.value = String(count + 1);
      var first = row && row.querySelector("select, input:not([type=checkbox]):not([type=hidden])");
      if (first) { first.focus(); }
    });
  });
}());
