// Runs before the wasm app: registers the service worker, tells the app when a new version
// waits (event "buurtbel-update") and keeps the browser's install offer for the app's install
// button (event "buurtbel-installable"). The app answers with "buurtbel-update-accept" and
// "buurtbel-install". Nothing here reloads the page unless the user asked for the update.
const state = { waiting: false, install: null };
window.buurtbelShell = state;

// The static shell in index.html shows the heading and introduction of the page being opened
// (or of the setup screen on a phone in no team yet), in the chosen language, so the largest
// text is painted before the wasm arrives. The app's own texts: a test in src/i18n.rs keeps
// these equal to them.
// texts:
const TEXTS = {"nl": {"/": ["Looplijst", "Loop de straten langs en leg elk gesprek aan de deur vast, ook zonder bereik."], "/team": ["Team", "Een buurtteam heeft een inhoudelijk expert, een verbinder en een ondernemer nodig."], "/plan": ["Stappenplan", "Werk samen het stappenplan van jullie buurtactie af."], "/overleg": ["Overleg", "Bespreek de voortgang in het teamoverleg en leg besluiten en acties vast."], "/voortgang": ["Voortgang", "Hoeveel huishoudens zijn bereikt, en hoe dicht zijn jullie bij het doel?"], "/instellingen": ["Instellingen", "Taal, deze telefoon, gegevens exporteren en privacy."], "setup": ["Welkom bij Buurtbel", "Doe mee met je buurtteam met de code die je van een teamgenoot kreeg, of begin zelf een nieuw team."], "nav": ["Looplijst", "Team", "Plan", "Overleg", "Voortgang"]}, "en": {"/": ["Walk list", "Walk the streets and log every doorstep conversation, even without signal."], "/team": ["Team", "A buurt team needs a content expert, a connector and a driver."], "/plan": ["Step plan", "Work through your project's step plan together."], "/overleg": ["Meetings", "Review progress at team meetings and record decisions and action items."], "/voortgang": ["Progress", "How many households have been reached, and how close is the target?"], "/instellingen": ["Settings", "Language, this phone, exporting data and privacy."], "setup": ["Welcome to Buurtbel", "Join your buurt team with the code a team mate gave you, or start a new team yourself."], "nav": ["Walk list", "Team", "Plan", "Meetings", "Progress"]}};
// :texts
{
  const aliases = { '/meetings': '/overleg', '/dashboard': '/voortgang', '/settings': '/instellingen' };
  const stored = (key) => {
    try {
      return window.localStorage.getItem(key);
    } catch {
      return null;
    }
  };
  const lang = stored('buurtbel.locale') === 'en' ? 'en' : 'nl';
  const path = window.location.pathname.replace(/\/+$/, '') || '/';
  const page = stored('buurtbel.session') ? aliases[path] || path : 'setup';
  const [title, intro] = TEXTS[lang][page] || TEXTS[lang]['/'];
  const content = document.querySelector('#content');
  if (content) {
    document.documentElement.lang = lang;
    // New elements, not new text in the placeholders: a browser takes an element as the largest
    // paint only when it first paints it, so a placeholder grown later would leave the largest
    // paint to the app's own paragraph, after the wasm.
    const heading = document.createElement('h1');
    const paragraph = document.createElement('p');
    heading.textContent = title;
    paragraph.className = 'intro';
    paragraph.textContent = intro;
    content.replaceChildren(heading, paragraph);
    const nav = document.querySelector('.main-nav');
    if (nav && page === 'setup') nav.hidden = true;
    const labels = TEXTS[lang].nav;
    for (const [i, link] of document.querySelectorAll('.main-nav a').entries()) {
      link.textContent = labels[i] ?? link.textContent;
      if (link.getAttribute('href') === page) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
  }
}

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
