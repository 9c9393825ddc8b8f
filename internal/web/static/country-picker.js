// The country picker of the diffusion form: a filter over the country
// checkboxes, and the regions set aside while "every member country" is
// ticked. Without this script the picker is a plain list of checkboxes.
(function () {
  "use strict";
  var fold = function (s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  };
  document.querySelectorAll(".country-picker").forEach(function (picker) {
    var filter = picker.querySelector(".picker-filter");
    var input = filter && filter.querySelector("input");
    var all = picker.querySelector('input[value="*"]');
    var regions = picker.querySelectorAll(".picker-region");
    if (input) {
      filter.hidden = false;
      input.addEventListener("input", function () {
        var q = fold(input.value.trim());
        regions.forEach(function (region) {
          var shown = 0;
          region.querySelectorAll("li").forEach(function (li) {
            var label = li.querySelector("label");
            var hit = q === "" || fold(label.textContent).indexOf(q) >= 0 ||
              label.dataset.code.toLowerCase() === q || li.querySelector("input").checked;
            li.hidden = !hit;
            if (hit) shown++;
          });
          region.hidden = shown === 0;
        });
      });
    }
    if (all) {
      var sync = function () {
        regions.forEach(function (region) { region.disabled = all.checked; });
        if (input) input.disabled = all.checked;
      };
      all.addEventListener("change", sync);
      sync();
    }
  });
})();
