// Progressive enhancement of the due-date form (Content-Security-Policy: no inline scripts).
(function () {
  var unit = document.getElementById("id_unit");
  var duration = document.getElementById("id_duration");
  var data = document.getElementById("units-without-duration");
  if (!unit || !duration || !data) return;
  var without = JSON.parse(data.textContent);
  function sync() {
    var off = without.indexOf(unit.value) !== -1;
    duration.disabled = off;
    duration.closest(".field").classList.toggle("field--disabled", off);
  }
  unit.addEventListener("change", sync);
  sync();
})();
