// Source pages: pointing at or focusing a "cited by" entry marks the words that fact quotes in
// its line (the CSS Custom Highlight API: no change to the line's markup). Without script, or in
// a browser without the API, every quoted phrase stays marked alike.
(function () {
  if (!window.CSS || !CSS.highlights || typeof Highlight === "undefined") return;
  const NAME = "cited-part";

  // The range of `text`'s characters [start, end) across the text nodes of `line`.
  const rangeOf = (line, start, end) => {
    const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    let seen = 0;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const length = node.data.length;
      if (seen <= start && start <= seen + length) range.setStart(node, start - seen);
      if (seen <= end && end <= seen + length) { range.setEnd(node, end - seen); break; }
      seen += length;
    }
    return range;
  };

  const mark = (link) => {
    const line = link.closest("li")?.querySelector(".line-text");
    if (!line) return;
    const text = line.textContent;
    const ranges = JSON.parse(link.dataset.quotes || "[]")
      .map((quote) => [text.indexOf(quote), quote.length])
      .filter(([start]) => start >= 0)
      .map(([start, length]) => rangeOf(line, start, start + length));
    CSS.highlights.set(NAME, new Highlight(...ranges));
    line.classList.add("marking");
  };
  const unmark = () => {
    CSS.highlights.delete(NAME);
    document.querySelectorAll(".line-text.marking").forEach((l) => l.classList.remove("marking"));
  };

  document.querySelectorAll("a.cited-part[data-quotes]").forEach((link) => {
    link.addEventListener("mouseenter", () => mark(link));
    link.addEventListener("focus", () => mark(link));
    link.addEventListener("mouseleave", unmark);
    link.addEventListener("blur", unmark);
  });
})();
