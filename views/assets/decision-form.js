/*
 * The decision form: "Why are you choosing a lower route than the guidance?" shows only when the
 * chosen outcome is below the guidance (or below MASH once the DSP answers "Yes" to the threshold
 * question). Progressive enhancement only: without this script the box is always there, with its hint,
 * and the server asks for it when it is needed.
 */
(function () {
  'use strict';
  var group = document.getElementById('decision-reason-group');
  var form = group && group.closest('form');
  if (!group || !form) return;
  function checked(name) {
    return form.querySelector('input[name="' + name + '"]:checked');
  }
  function update() {
    if (group.getAttribute('data-open') === 'true') return;
    var outcome = checked('outcome');
    var cause = checked('reasonableCause');
    var below =
      outcome &&
      (outcome.getAttribute('data-below') === 'true' ||
        (cause && cause.value === 'yes' && outcome.getAttribute('data-below-mash') === 'true'));
    group.hidden = !below;
  }
  form.addEventListener('change', update);
  update();
})();
