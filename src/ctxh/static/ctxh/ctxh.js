/* Small behaviours: confirm before destructive actions, arrow keys in result lists. */
document.addEventListener("submit", function (e) {
  var msg = e.target.getAttribute("data-confirm");
  if (msg && !window.confirm(msg)) { e.preventDefault(); }
}, true);
document.addEventListener("keydown", function (e) {
  var t = e.target;
  if (e.key !== "ArrowDown" && e.key !== "ArrowUp") { return; }
  var box = t.closest(".search-box");
  if (!box) { return; }
  var links = Array.prototype.slice.call(box.querySelectorAll(".results a"));
  if (!links.length) { return; }
  var i = links.indexOf(document.activeElement);
  i = e.key === "ArrowDown" ? Math.min(i + 1, links.length - 1) : i - 1;
  if (i < 0) { box.querySelector("input").focus(); } else { links[i].focus(); }
  e.preventDefault();
});
/* A person picker: clicking a result fills the hidden person field. */
document.addEventListener("click", function (e) {
  var a = e.target.closest("[data-pick-id]");
  if (!a) { return; }
  e.preventDefault();
  var form = a.closest("form");
  form.querySelector("input[name=person]").value = a.getAttribute("data-pick-id");
  var label = form.querySelector("#pick-name");
  if (label) { label.textContent = a.getAttribute("data-pick-name"); }
});
