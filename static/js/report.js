// The report's Print button; the print style sheet (app.css, @media print) lays the report out for paper. Printed
// by any means, every chart's figures are shown: a closed <details> would hide them on paper.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
window.addEventListener("beforeprint", () => {
  document.querySelectorAll("details.chart-figures").forEach((details) => {
    details.open = true;
  });
});
