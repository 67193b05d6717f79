// Drag a session card onto another cell: fills the move form and sends it. Without
// JavaScript the same form works by hand, so nothing here is required.
(function () {
  "use strict";
  var form = document.getElementById("move-form");
  if (!form) { return; }
  var talkField = form.querySelector("[name=talk]");
  var placeField = form.querySelector("[name=place]");
  document.querySelectorAll(".talk[draggable=true]").forEach(function (card) {
    card.addEventListener("dragstart", function (event) {
      event.dataTransfer.setData("text/plain", card.dataset.talk);
      event.dataTransfer.effectAllowed = "move";
    });
  });
  document.querySelectorAll("[data-place]").forEach(function (cell) {
    cell.addEventListener("dragover", function (event) {
      event.preventDefault();
      cell.classList.add("drop-target");
    });
    cell.addEventListener("dragleave", function () { cell.classList.remove("drop-target"); });
    cell.addEventListener("drop", function (event) {
      event.preventDefault();
      cell.classList.remove("drop-target");
      talkField.value = event.dataTransfer.getData("text/plain");
      placeField.value = cell.dataset.place;
      form.submit();
    });
  });
})();
