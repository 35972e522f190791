/*
 * The "record a concern" form, progressive enhancement only (without this script the server draws the
 * same things on any post of the form):
 * - "Call 999 now" appears right under the emergency ticks the moment one is ticked (and goes when none
 *   is), whatever the category: no request, no wait. The banner has role="alert", so inserting it is
 *   announced by a screen reader.
 * - "Another language" reveals "Which language?" (GOV.UK's conditional reveal for radios).
 */
(function () {
  'use strict';
  var form = document.querySelector('form.app-concern-form');
  if (!form) return;

  var call = document.getElementById('emergency-call');
  var template = document.getElementById('emergency-call-template');
  var emergencyBoxes = form.querySelectorAll('input[data-emergency]');
  function showCall() {
    var ticked = Array.prototype.some.call(emergencyBoxes, function (box) {
      return box.checked;
    });
    if (ticked === Boolean(call.firstElementChild)) return;
    call.textContent = '';
    if (ticked) call.appendChild(template.content.cloneNode(true));
  }
  if (call && template && 'content' in template)
    Array.prototype.forEach.call(emergencyBoxes, function (box) {
      box.addEventListener('change', showCall);
    });

  Array.prototype.forEach.call(document.querySelectorAll('[data-module="app-conditional-radios"]'), function (group) {
    var radios = group.querySelectorAll('input[type="radio"]');
    function sync() {
      Array.prototype.forEach.call(radios, function (radio) {
        var id = radio.getAttribute('data-aria-controls');
        var target = id && document.getElementById(id);
        if (!target) return;
        target.classList.toggle('govuk-radios__conditional--hidden', !radio.checked);
      });
    }
    Array.prototype.forEach.call(radios, function (radio) {
      var id = radio.getAttribute('data-aria-controls');
      if (id && document.getElementById(id)) radio.setAttribute('aria-controls', id);
      radio.addEventListener('change', sync);
    });
    group.classList.add('app-conditional-radios--enhanced');
    sync();
  });
})();
