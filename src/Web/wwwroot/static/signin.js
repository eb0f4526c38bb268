"use strict";
// Hide the refusal line when there is none.
document.addEventListener("DOMContentLoaded", () => {
  const refusal = document.getElementById("refusal");
  refusal.hidden = refusal.textContent.trim() === "";
});
