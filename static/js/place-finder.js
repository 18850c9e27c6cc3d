// The place finder's suggestions as one types: an ARIA 1.2 combobox over the field of
// templates/includes/_place_finder.html. Without this file the field is a plain search
// form. Suggestions come from the field's data-suggest-url (/places/suggest.json?q=).
(function () {
  "use strict";

  var DELAY_MS = 150;

  function setUp(input) {
    var list = document.getElementById("find-place-suggestions");
    var status = document.getElementById("find-place-status");
    if (!list || !status || !window.fetch) {
      return;
    }
    var active = -1;
    var items = [];
    var timer = null;
    var asked = 0;

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);

    function announce(count) {
      var text;
      if (count === 0) {
        text = status.dataset.none;
      } else if (count === 1) {
        text = status.dataset.one;
      } else {
        text = status.dataset.many.replace("%(count)s", String(count));
      }
      status.textContent = text;
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function choose(index) {
      items.forEach(function (item, position) {
        item.setAttribute("aria-selected", position === index ? "true" : "false");
      });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function go(index) {
      var link = items[index] && items[index].querySelector("a");
      if (link) {
        window.location.assign(link.href);
      }
    }

    function show(places) {
      list.textContent = "";
      items = places.map(function (place, index) {
        var option = document.createElement("li");
        option.id = "find-place-option-" + index;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        var link = document.createElement("a");
        link.href = place.url;
        link.tabIndex = -1;
        link.textContent = place.name;
        var meta = document.createElement("span");
        meta.className = "combobox__meta";
        meta.textContent = place.within ? place.kind + " · " + place.within : place.kind;
        option.appendChild(link);
        option.appendChild(document.createTextNode(" "));
        option.appendChild(meta);
        option.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the field
          go(index);
        });
        list.appendChild(option);
        return option;
      });
      active = -1;
      list.hidden = items.length === 0;
      input.setAttribute("aria-expanded", items.length ? "true" : "false");
      input.removeAttribute("aria-activedescendant");
      announce(items.length);
    }

    function suggest() {
      var text = input.value.trim();
      if (!text) {
        show([]);
        status.textContent = "";
        return;
      }
      var number = ++asked;
      var url = input.dataset.suggestUrl + "?q=" + encodeURIComponent(text);
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          return response.ok ? response.json() : { places: [] };
        })
        .then(function (answer) {
          if (number === asked) {
            show(answer.places || []);
          }
        })
        .catch(function () {
          close();
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(suggest, DELAY_MS);
    });

    input.addEventListener("keydown", function (event) {
      var open = !list.hidden && items.length > 0;
      if (event.key === "ArrowDown") {
        if (!open && items.length) {
          list.hidden = false;
          input.setAttribute("aria-expanded", "true");
        }
        if (items.length) {
          choose((active + 1) % items.length);
          event.preventDefault();
        }
      } else if (event.key === "ArrowUp") {
        if (open) {
          choose(active <= 0 ? items.length - 1 : active - 1);
          event.preventDefault();
        }
      } else if (event.key === "Enter") {
        if (open && active >= 0) {
          event.preventDefault();
          go(active);
        }
      } else if (event.key === "Escape") {
        if (open) {
          event.preventDefault();
          close();
        } else {
          input.value = "";
        }
      }
    });

    input.addEventListener("blur", close);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var input = document.getElementById("find-place");
    if (input) {
      setUp(input);
    }
  });
})();
