// Runs before the wasm app: registers the service worker, tells the app when a new version
// waits (event "buurtbel-update") and keeps the browser's install offer for the app's install
// button (event "buurtbel-installable"). The app answers with "buurtbel-update-accept" and
// "buurtbel-install". Nothing here reloads the page unless the user asked for the update.
const state = { waiting: false, install: null };
window.buurtbelShell = state;

if ('serviceWorker' in navigator) {
  let updating = false;
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (updating) window.location.reload();
  });
  const watch = (registration) => {
    const announce = () => {
      if (registration.waiting && navigator.serviceWorker.controller) {
        state.waiting = true;
        window.dispatchEvent(new Event('buurtbel-update'));
      }
    };
    announce();
    registration.addEventListener('updatefound', () => {
      const worker = registration.installing;
      if (worker) worker.addEventListener('statechange', () => worker.state === 'installed' && announce());
    });
    // A phone keeps the app open for days: look for a new version when it comes back to it.
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') registration.update().catch(() => {});
    });
  };
  navigator.serviceWorker.register('/sw.js').then(watch, () => {});
  window.addEventListener('buurtbel-update-accept', async () => {
    const registration = await navigator.serviceWorker.getRegistration();
    if (!registration || !registration.waiting) return;
    updating = true;
    registration.waiting.postMessage('skip-waiting');
  });
}

window.addEventListener('beforeinstallprompt', (event) => {
  event.preventDefault();
  state.install = event;
  window.dispatchEvent(new Event('buurtbel-installable'));
});
window.addEventListener('appinstalled', () => {
  state.install = null;
  window.dispatchEvent(new Event('buurtbel-installable'));
});
window.addEventListener('buurtbel-install', async () => {
  const offer = state.install;
  if (!offer) return;
  state.install = null;
  offer.prompt();
  await offer.userChoice.catch(() => {});
  window.dispatchEvent(new Event('buurtbel-installable'));
});
