/*
 * Live guidance on the "record a concern" form: as categories, issues and indicators are ticked,
 * ask POST /api/guidance/evaluate and redraw the panel (and its one-line summary near the top, for a
 * narrow screen). Progressive enhancement only: without this script, "Check the guidance" posts the
 * form and the server draws the same panel. "Call 999 now" beside the ticks is concern-form.js's.
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
  var summary = document.getElementById('guidance-summary');
  var pending = null;
  var latest = 0;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text; // never innerHTML: messages and names are data
    return node;
  }

  function list(items, render, className) {
    var ul = el('ul', 'govuk-list govuk-list--bullet' + (className ? ' ' + className : ''));
    items.forEach(function (item) {
      ul.appendChild(render(item));
    });
    return ul;
  }

  function emergencyTicked() {
    return Boolean(form.querySelector('input[data-emergency]:checked'));
  }

  /** The panel's first line while an emergency box is ticked, as the server draws it. */
  function startPanel() {
    panel.textContent = '';
    if (emergencyTicked())
      panel.appendChild(
        el('p', 'govuk-body govuk-!-font-weight-bold app-emergency-text app-guidance-panel__call', labels.callNow),
      );
  }

  function drawSummary(answer) {
    if (!summary) return;
    summary.textContent = '';
    if (!answer) return;
    var level = el('p', 'govuk-body govuk-!-margin-bottom-1');
    level.appendChild(el('strong', null, labels.level + ': ' + labels.levels[answer.level]));
    summary.appendChild(level);
    var route = el('p', 'govuk-body govuk-!-margin-bottom-1', labels.route + ': ');
    route.appendChild(el('strong', null, labels.routes[answer.route]));
    summary.appendChild(route);
    var more = el('p', 'govuk-body govuk-!-margin-bottom-0');
    var link = el('a', 'govuk-link', labels.seeFull);
    link.href = '#guidance-panel';
    more.appendChild(link);
    summary.appendChild(more);
  }

  function draw(answer) {
    startPanel();
    drawSummary(answer);
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
    if (labels.staff) {
      var staff = el('div', 'app-guidance__staff');
      staff.appendChild(el('h3', 'govuk-heading-s', labels.staff.heading));
      staff.appendChild(
        list(labels.staff.steps, function (step) {
          return el('li', null, step);
        }),
      );
      section.appendChild(staff);
    }
    section.appendChild(el('h3', 'govuk-heading-s', labels.why));
    section.appendChild(
      list(
        answer.reasons,
        function (r) {
          return el('li', null, r.message);
        },
        'app-guidance__engine',
      ),
    );
    if (answer.alsoDo && answer.alsoDo.length) {
      section.appendChild(el('h3', 'govuk-heading-s', labels.alsoDo));
      section.appendChild(
        list(
          answer.alsoDo,
          function (r) {
            return el('li', null, r.message);
          },
          'app-also-do app-guidance__engine',
        ),
      );
    }
    if (answer.triggers.length) {
      section.appendChild(el('h3', 'govuk-heading-s', labels.history));
      section.appendChild(
        list(
          answer.triggers,
          function (r) {
            return el('li', null, r.message);
          },
          'app-guidance__engine',
        ),
      );
    }
    if (answer.chronologyReviewAdvised && !labels.forStaff)
      section.appendChild(el('p', 'govuk-body govuk-!-font-weight-bold', labels.reviewChronology));
    if (answer.services.length) {
      section.appendChild(el('h3', 'govuk-heading-s', labels.services));
      var services = el('ul', 'govuk-list app-service-list');
      answer.services.forEach(function (service) {
        var li = el('li');
        li.appendChild(el('strong', null, service.name));
        li.appendChild(document.createTextNode(' – ' + service.description));
        // How to get a service is the DSP's step (a referral); staff are told to give the concern to the DSP.
        if (!labels.forStaff) {
          li.appendChild(document.createTextNode(' '));
          li.appendChild(el('span', 'app-service-list__access', labels.howToAccess + ' ' + service.howToAccess));
        }
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
      latest++; // an answer still on its way is for ticks that are gone
      startPanel();
      drawSummary(null);
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
        startPanel();
        drawSummary(null);
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
