// The idle-timeout warning (WCAG 2.2.1): a modal dialog some time before the session ends.
// "Stay signed in" (or Escape) asks the server to extend the session; "Sign out" signs out;
// at the end the page signs out and goes to the sign-in page, which says why. The native <dialog> keeps
// focus inside it and makes the page behind inert.
const dialog = document.getElementById("timeout-dialog");

if (dialog && typeof dialog.showModal === "function") {
  const warningSeconds = Number(dialog.dataset.warningSeconds);
  const countdown = dialog.querySelector(".app-timeout-dialog__countdown");
  const extendForm = dialog.querySelector(".app-timeout-dialog__extend");
  const extendButton = extendForm.querySelector("button");
  let endsAt = 0;
  let warnTimer = 0;
  let endTimer = 0;
  let tickTimer = 0;

  const describe = (seconds) => {
    if (seconds > 60) {
      const minutes = Math.ceil(seconds / 60);
      return `${minutes} minutes`;
    }
    return seconds === 60 ? "1 minute" : `${seconds} seconds`;
  };

  const tick = () => {
    const left = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
    // Whole minutes, then every 15 seconds: a screen reader is not interrupted each second.
    countdown.textContent = describe(left > 60 ? left : Math.ceil(left / 15) * 15);
  };

  // Sign out here too, rather than wait for the server to notice: clocks differ.
  const signedOut = () => {
    const signOut = dialog.querySelector(".app-timeout-dialog__sign-out");
    signOut.elements.next.value = dialog.dataset.signedOutUrl;
    signOut.submit();
  };

  const warn = () => {
    tick();
    tickTimer = window.setInterval(tick, 1000);
    dialog.showModal();
    extendButton.focus();
  };

  const schedule = (expiresIn) => {
    window.clearTimeout(warnTimer);
    window.clearTimeout(endTimer);
    window.clearInterval(tickTimer);
    endsAt = Date.now() + expiresIn * 1000;
    warnTimer = window.setTimeout(warn, Math.max(0, expiresIn - warningSeconds) * 1000);
    endTimer = window.setTimeout(signedOut, expiresIn * 1000);
  };

  const extend = async () => {
    const response = await fetch(extendForm.action, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        Accept: "application/json",
        "X-CSRFToken": extendForm.elements.csrfmiddlewaretoken.value,
      },
    });
    if (!response.ok) {
      signedOut();
      return;
    }
    const { expires_in: expiresIn } = await response.json();
    dialog.close();
    schedule(expiresIn);
  };

  extendForm.addEventListener("submit", (event) => {
    event.preventDefault();
    extend();
  });
  // Escape closes a modal dialog: here it means "stay signed in".
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    extend();
  });

  schedule(Number(dialog.dataset.expiresIn));
}
