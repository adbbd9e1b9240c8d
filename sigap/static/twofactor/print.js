// The recovery codes page: its Print button opens the browser's print dialog (no inline script under SIGAP's CSP).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
