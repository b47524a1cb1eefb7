// The report's Print button: the print style sheet (app.css, @media print) lays the report out for paper.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
