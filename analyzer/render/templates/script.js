// Optional comfort only: the page reads and prints fully without JavaScript.
(function () {
  "use strict";
  function toggle(id, cls) {
    var box = document.getElementById(id);
    if (!box) { return; }
    box.addEventListener("change", function () { document.body.classList.toggle(cls, box.checked); });
  }
  toggle("only-flagged", "only-flagged");
  toggle("hide-tips", "hide-tips");
  // A click on a highlighted sentence jumps to its explanation card.
  document.addEventListener("click", function (event) {
    var mark = event.target.closest ? event.target.closest("mark.finding") : null;
    if (!mark) { return; }
    var card = document.getElementById("finding-" + mark.getAttribute("data-finding"));
    if (card) { card.scrollIntoView({block: "center"}); location.hash = "finding-" + mark.getAttribute("data-finding"); }
  });
}());
