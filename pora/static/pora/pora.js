// Small behaviours that the Content Security Policy forbids inline.
document.addEventListener("change", function (event) {
  var el = event.target;
  if (el.matches("select[name=language]")) { el.form.submit(); }
});
