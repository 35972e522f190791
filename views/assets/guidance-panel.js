/*
 * Live guidance on the "record a concern" form: as categories, issues and indicators are ticked,
 * ask POST /api/guidance/evaluate and redraw the panel. Progressive enhancement only: without this
 * script, "Check the guidance" posts the form and the server draws the same panel.
 */
(function () {
  'use strict';
  var panel = document.getElementById('guidance-panel');
  var form = panel && panel.closest('form');
  if (!panel || !form || !window.fetch) return;
  // A double click on "Record concern" (or any of the form's buttons) posts once: a second submit while
  // the first is on its way would record the concern twice. Coming back to the page (bfcache) re-arms it.
  var submitting = false;
  form.addEventListener('submit', function (event) {
    if (event.defaultPrevented) return;
    if (submitting) event.preventDefault();
    submitting = true;
  });
  window.addEventListener('pageshow', function () {
    submitting = false;
  });
  var labels = JSON.parse(panel.getAttribute('data-labels') || '{}');
  var pending = null;
  var latest = 0;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text; // never innerHTML: messages and names are data
    return node;
  }

  function list(items, render) {
    var ul = el('ul', 'govuk-list govuk-list--bullet');
    items.forEach(function (item) {
      ul.appendChild(render(item));
    });
    return ul;
  }

  function draw(answer) {
    panel.textContent = '';
    if (answer.emergency) {
      var banner = el('div', 'app-emergency-banner');
      banner.setAttribute('role', 'alert');
      banner.appendChild(el('h2', 'app-emergency-banner__title', labels.emergencyTitle));
      banner.appendChild(el('p', 'app-emergency-banner__body', labels.emergencyBody));
      panel.appendChild(banner);
    }
    var section = el('section', 'app-guidance app-guidance--level-' + answer.level);
    section.setAttribute('aria-labelledby', 'guidance-panel-heading');
    var heading = el('h2', 'govuk-heading-m', labels.heading);
    heading.id = 'guidance-panel-heading';
    section.appendChild(heading);
    var level = el('p', 'govuk-body-l govuk-!-margin-bottom-2');
    level.appendChild(el('strong', null, labels.level + ': ' + labels.levels[answer.level]));
    section.appendChild(level);
    var route = el('p', 'govuk-body', labels.route + ': ');
    route.appendChild(el('strong', null, labels.routes[answer.route]));
    section.appendChild(route);
    section.appendChild(el('h3', 'govuk-heading-s', labels.why));
    section.appendChild(
      list(answer.reasons, function (r) {
        return el('li', null, r.message);
      }),
    );
    if (answer.alsoDo && answer.alsoDo.length) {
      section.appendChild(el('h3', 'govuk-heading-s', labels.alsoDo));
      section.appendChild(
        list(answer.alsoDo, function (r) {
          return el('li', null, r.message);
        }),
      );
    }
    if (answer.triggers.length) {
      section.appendChild(el('h3', 'govuk-heading-s', labels.history));
      section.appendChild(
        list(answer.triggers, function (r) {
          return el('li', null, r.message);
        }),
      );
    }
    if (answer.chronologyReviewAdvised)
      section.appendChild(el('p', 'govuk-body govuk-!-font-weight-bold', labels.reviewChronology));
    if (answer.services.length) {
      section.appendChild(el('h3', 'govuk-heading-s', labels.services));
      var services = el('ul', 'govuk-list app-service-list');
      answer.services.forEach(function (service) {
        var li = el('li');
        li.appendChild(el('strong', null, service.name));
        li.appendChild(document.createTextNode(' – ' + service.description + ' '));
        li.appendChild(el('span', 'app-service-list__access', labels.howToAccess + ' ' + service.howToAccess));
        services.appendChild(li);
      });
      section.appendChild(services);
    }
    section.appendChild(el('p', 'govuk-body-s govuk-!-margin-bottom-0', labels.neverBlocks));
    panel.appendChild(section);
  }

  function draft() {
    var data = new FormData(form);
    var category = data.get('category');
    if (!category) return null;
    var body = { category: category, issues: data.getAll('issues'), indicators: data.getAll('indicators') };
    var pupilId = panel.getAttribute('data-pupil-id');
    if (pupilId) body.pupilId = pupilId;
    return body;
  }

  function evaluate() {
    var body = draft();
    if (!body) {
      panel.textContent = '';
      panel.appendChild(el('p', 'govuk-body app-guidance-panel__hint', labels.chooseCategory));
      return;
    }
    var request = ++latest;
    fetch('/api/guidance/evaluate', {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json',
        'X-CSRF-Token': form.querySelector('input[name="_csrf"]').value,
      },
      body: JSON.stringify(body),
    })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (answer) {
        if (request === latest) draw(answer);
      })
      .catch(function () {
        if (request !== latest) return;
        panel.textContent = '';
        panel.appendChild(el('p', 'govuk-body app-guidance-panel__hint', labels.unavailable));
      });
  }

  form.addEventListener('change', function (event) {
    var name = event.target && event.target.name;
    if (name !== 'category' && name !== 'issues' && name !== 'indicators') return;
    clearTimeout(pending);
    pending = setTimeout(evaluate, 150);
  });
  // Enter in "Describe the mark" adds the mark (as the form does without JavaScript), and returns to the
  // body map rather than the top of the page.
  var markNote = document.getElementById('markNote');
  var addMark = form.querySelector('button[name="action"][value="addMark"]');
  if (markNote && addMark)
    markNote.addEventListener('keydown', function (event) {
      if (event.key !== 'Enter' || event.isComposing) return;
      event.preventDefault();
      addMark.click();
    });
  document.documentElement.classList.add('app-js');
  if (!panel.children.length) evaluate();
})();
