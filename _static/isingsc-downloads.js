// The header's download menu (see _ext/book_meta.py).
// * The .ipynb and .md entries download their file instead of opening it in a new tab (a notebook is JSON,
//   which a browser would show as text).
// * The .pdf entries download the PDFs made by _ext/book_pdf.py; where none was made (the optional third
//   command of the README), they print the page as the theme's button did.
document.addEventListener("DOMContentLoaded", () => {
  for (const a of document.querySelectorAll("a.btn-download-notebook-button, a.btn-download-source-button")) {
    a.setAttribute("download", decodeURIComponent(a.getAttribute("href").split("/").pop()));
    a.removeAttribute("target");
  }
});

function isingscDownloadPdf(url) {
  const save = () => {
    const a = document.createElement("a");
    a.href = url;
    a.download = url.split("/").pop();
    document.body.appendChild(a);
    a.click();
    a.remove();
  };
  if (location.protocol === "file:") {
    save();
    return;
  }
  fetch(url, { method: "HEAD" })
    .then((r) => (r.ok ? save() : window.print()))
    .catch(() => window.print());
}
