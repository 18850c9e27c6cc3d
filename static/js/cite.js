// "Copy the citation": shows the button of each "Cite this page" box and copies the text
// it names (data-copy: the id of the element). Without this script the text is still there
// to select and copy.
(function () {
  "use strict";

  function copy(button) {
    var target = document.getElementById(button.getAttribute("data-copy"));
    var status = button.parentNode.querySelector(".cite__status");
    var text = target ? target.textContent.trim() : "";
    function say(message) {
      if (status) {
        status.textContent = message;
      }
    }
    if (!navigator.clipboard || !text) {
      say(button.getAttribute("data-failed"));
      return;
    }
    navigator.clipboard.writeText(text).then(
      function () {
        say(button.getAttribute("data-copied"));
      },
      function () {
        say(button.getAttribute("data-failed"));
      }
    );
  }

  function init() {
    var buttons = document.querySelectorAll("button[data-copy]");
    Array.prototype.forEach.call(buttons, function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        copy(button);
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
