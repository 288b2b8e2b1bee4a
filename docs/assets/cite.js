// Cite controls: a "Cite" button after each statement's permalink copies a ready citation, with
// the full address the reader sees and today's date; "Cite this page" gets the same address.
// Built without SITE_URL, the texts carry addresses from the site's root ("/demands/x/"): they
// are completed here from the page's own location, without its query (a search's
// "?highlight=…") or its fragment. A printout gets the site's name and the page's address at its
// head, and each citation link's address in full. Without script, the permalinks and the "Cite
// this page" text still work; nothing here fetches anything.
(function () {
  const today = new Date().toISOString().slice(0, 10);
  // The site's root, from the theme's configuration (its base, relative to this page).
  const config = document.getElementById("__config");
  const base = config ? JSON.parse(config.textContent).base || "." : ".";
  const root = new URL(base.endsWith("/") ? base : base + "/", location.origin + location.pathname);
  const page = location.origin + location.pathname; // no ?highlight=…, no #fragment
  // "/demands/x/#id" (an address from the site's root) -> its absolute URL.
  const absolute = (address) => (address.startsWith("/") ? new URL(address.slice(1), root).href : address);
  // The addresses a citation text holds stand after ". " and before " (citing", ". " or the end.
  const ROOTED = /(\. )(\/[^\s]*?)(?=\.? Accessed| \(citing|\. |\.?$)/;
  const complete = (text) => text.replace(ROOTED, (_, before, address) => before + absolute(address))
    .replace("[date]", today);
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
    button.addEventListener("click", () => copy(complete(link.dataset.cite), button));
    link.after(button);
  });
  document.querySelectorAll(".cite-page .cite-text").forEach((p) => {
    p.textContent = complete(p.textContent);
  });
  // Print: the citation links' addresses in full, and the site's name and this page's address.
  document.querySelectorAll("a.cite[data-address]").forEach((a) => {
    a.dataset.address = absolute(a.dataset.address);
  });
  const content = document.querySelector("article.md-content__inner, article");
  if (content) {
    const name = document.querySelector('meta[property="og:site_name"]')?.content || document.title;
    const head = document.createElement("p");
    head.className = "print-address";
    head.textContent = `${name}: ${page}`;
    content.prepend(head);
  }
})();
