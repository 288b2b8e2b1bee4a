// Cite controls: a "Cite" button after each statement's permalink copies a ready citation, with
// the page's full address and today's date. Without script, the permalinks and the "Cite this
// page" text still work; nothing here fetches anything.
(function () {
  const today = new Date().toISOString().slice(0, 10);
  const complete = (text, relative) => {
    const absolute = new URL(relative, location.href).href;
    return text.replace(relative.startsWith("#") ? location.pathname + relative : relative, absolute)
      .replace("[date]", today);
  };
  const copy = async (text, button) => {
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = "Copied";
    } catch {
      window.prompt("Copy this citation:", text);
    }
    setTimeout(() => { button.textContent = "Cite"; }, 2000);
  };
  document.querySelectorAll("a.permalink[data-cite]").forEach((link) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "cite-button";
    button.textContent = "Cite";
    // The name begins with what the button says, so that a reader who says "Cite" finds it.
    button.setAttribute("aria-label", "Cite: copy a citation of this statement");
    button.addEventListener("click", () => copy(complete(link.dataset.cite, link.getAttribute("href")), button));
    link.after(button);
  });
  document.querySelectorAll(".cite-page .cite-text").forEach((p) => {
    p.textContent = p.textContent.replace("[date]", today);
  });
})();
