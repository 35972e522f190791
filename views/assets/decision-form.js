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

/*
 * On the concern page's forms (a decision, a referral, a staff report, closing), Enter in a one-line
 * box moves nothing and sends nothing: a decision or a referral is sent only with its own button, so a
 * tired DSP pressing Enter in "Time" or a household member's name never records a half-finished form.
 */
(function () {
  'use strict';
  var forms = document.querySelectorAll('form[data-enter-does-not-submit]');
  Array.prototype.forEach.call(forms, function (form) {
    form.addEventListener('keydown', function (event) {
      var target = event.target;
      if (event.key !== 'Enter' || !target || target.tagName !== 'INPUT') return;
      var type = (target.getAttribute('type') || 'text').toLowerCase();
      if (['submit', 'button', 'checkbox', 'radio'].indexOf(type) >= 0) return;
      event.preventDefault();
    });
  });
})();
