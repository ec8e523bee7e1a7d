// The print page's Print button: the browser's own print dialog. Without JavaScript
// the button stays hidden and the page says what to print with.
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-print]")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
});
