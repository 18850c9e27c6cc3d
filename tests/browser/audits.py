"""What the browser tests check on a page: axe-core's rules, horizontal overflow at phone
width, and the keyboard's reach with a visible focus."""

from axe_playwright_python.sync_playwright import Axe

# WCAG 2.0 and 2.1, levels A and AA.
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
_axe = Axe()


def axe_violations(page, rules=None):
    """axe-core's violations of WCAG 2.1 AA on the page as it is (of only `rules`, if given),
    one line per element."""
    only = {"type": "rule", "values": rules} if rules else {"type": "tag", "values": WCAG_AA}
    results = _axe.run(page, options={"runOnly": only, "resultTypes": ["violations"]})
    return [
        f"{violation['id']} ({violation['impact']}): {node['target']} — "
        + node.get("failureSummary", "").replace("\n", " ")
        for violation in results.response["violations"]
        for node in violation["nodes"]
    ]


def page_width(page):
    """How wide the document is: more than the viewport means the page scrolls sideways."""
    return page.evaluate("document.documentElement.scrollWidth")


# Scroll containers (an element that scrolls sideways because its content is wider): each
# must be reachable by keyboard and named, so that its content can be read without a mouse.
_SCROLL_CONTAINERS = """() => [...document.querySelectorAll('body *')].filter(element => {
    const style = getComputedStyle(element);
    return ['auto', 'scroll'].includes(style.overflowX)
        && element.scrollWidth > element.clientWidth;
}).map(element => ({
    html: element.outerHTML.slice(0, 120),
    focusable: element.tabIndex >= 0,
    named: Boolean(element.getAttribute('aria-label') || element.getAttribute('aria-labelledby')),
}))"""


def unreachable_scroll_containers(page):
    """Sideways-scrolling elements that a keyboard cannot reach or that have no name."""
    return [
        box["html"]
        for box in page.evaluate(_SCROLL_CONTAINERS)
        if not (box["focusable"] and box["named"])
    ]


# Every control a keyboard should reach: shown, enabled, not taken out of the tab order.
# Radio buttons are one stop per group (the arrow keys move within it), so only the first of
# a group is counted. Each is numbered, and its look without focus kept to compare with.
_MARK_CONTROLS = """() => {
    if (document.activeElement) document.activeElement.blur();  // an autofocus field too
    const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, '
        + '[tabindex]';
    const radioGroups = new Set();
    const controls = [...document.querySelectorAll(selector)].filter(element => {
        if (element.disabled || element.tabIndex < 0) return false;
        if (element.closest('[inert], [aria-hidden=true]')) return false;
        if (!element.checkVisibility({visibilityProperty: true})) return false;
        const closed = element.closest('details:not([open])');
        if (closed && element !== closed.querySelector(':scope > summary')) return false;
        if (element.type === 'radio') {
            if (radioGroups.has(element.name)) return false;
            radioGroups.add(element.name);
        }
        return true;
    });
    return controls.map((element, index) => {
        element.dataset.keyboardIndex = index;
        const style = getComputedStyle(element);
        return {
            index,
            html: element.outerHTML.slice(0, 120),
            radio: element.type === 'radio' ? element.name : null,
            look: [style.outlineStyle, style.outlineWidth, style.outlineColor, style.boxShadow],
        };
    });
}"""

_FOCUSED = """() => {
    const element = document.activeElement;
    if (!element || element === document.body) return null;
    const style = getComputedStyle(element);
    const outlined = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    return {
        index: element.dataset.keyboardIndex ?? null,
        radio: element.type === 'radio' ? element.name : null,
        html: element.outerHTML.slice(0, 120),
        outlined,
        look: [style.outlineStyle, style.outlineWidth, style.outlineColor, style.boxShadow],
    };
}"""


def keyboard_problems(page):
    """Tab through the page from its top: the controls the keyboard never reached, and those
    it reached without a visible focus (its outline and shadow the same as without focus)."""
    controls = page.evaluate(_MARK_CONTROLS)
    by_index = {str(control["index"]): control for control in controls}
    radio_index = {c["radio"]: str(c["index"]) for c in controls if c["radio"]}
    reached, invisible, first, previous = set(), [], None, None
    page.evaluate("document.activeElement && document.activeElement.blur()")
    # A date field takes a Tab for each of its parts, so allow three per control.
    for _ in range(3 * len(controls) + 5):
        page.keyboard.press("Tab")
        focused = page.evaluate(_FOCUSED)
        if focused is None:
            continue
        index = radio_index.get(focused["radio"], focused["index"])
        if index is not None and index == first:
            break  # round the page and back to the top
        if index is not None and index == previous:
            continue  # the next part of the same date field
        first, previous = first if first is not None else index, index
        if index is None:  # a control the list left out: it must show an outline at least
            shows_focus = focused["outlined"]
        else:
            reached.add(index)
            shows_focus = focused["look"] != by_index[index]["look"]
        if not shows_focus:
            invisible.append(focused["html"])
    missed = [control["html"] for key, control in by_index.items() if key not in reached]
    return missed, invisible
