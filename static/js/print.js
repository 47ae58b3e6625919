// Print buttons: the CSP forbids inline handlers, so buttons carry data-print instead.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
