// The demo site in a real browser: node site.cjs BASE_URL SCREENSHOT_DIR SCENARIO [UPLOAD_FILE UPLOAD_SIZE]
// SCENARIO: "journey" (sign in, see /me, upload a file, sign out) or "no-token" (a form posted without
// its XSRF token gets 403). Prints each step; exits 1 with the reason when a check fails.
const { chromium } = require('playwright-core');
const [base, shots, scenario, uploadFile, uploadSize] = process.argv.slice(2);

function check(condition, what) {
  if (!condition) throw new Error('check failed: ' + what);
  console.log('ok: ' + what);
}

async function submit(page, selector) {
  const [response] = await Promise.all([page.waitForNavigation(), page.click(selector)]);
  return response;
}

async function journey(page, shot) {
  await page.goto(base + '/me');
  check(page.url() === base + '/login?next=%2Fme', 'an anonymous visit to /me lands on the sign-in form: ' + page.url());
  await shot('1-sign-in');
  await page.fill('#name', 'demo');
  await page.fill('#password', 'squall');
  await submit(page, '#login button[type=submit]');
  check(page.url() === base + '/me', 'signing in comes back to /me: ' + page.url());
  check((await page.textContent('h2')).includes('Hello, demo'), '/me greets the user');
  await shot('2-me');

  await submit(page, '#upload-link');
  check(page.url() === base + '/upload', 'the upload page opens from /me: ' + page.url());
  await page.setInputFiles('input[type=file]', uploadFile);
  await shot('3-upload-form');
  const uploaded = await submit(page, 'form[enctype="multipart/form-data"] button');
  check(uploaded.status() === 200, 'the upload is accepted: ' + uploaded.status());
  const report = await page.textContent('body');
  check(report.includes(uploadSize), 'the page reports the file size ' + uploadSize + ': ' + report.trim().slice(0, 300));
  await shot('4-upload-result');

  await page.goto(base + '/me');
  await submit(page, '#logout button[type=submit]');
  check(page.url().startsWith(base + '/login'), 'signing out goes to the sign-in form: ' + page.url());
  await page.goto(base + '/me');
  check(page.url().startsWith(base + '/login'), '/me is closed again after signing out');
  await shot('5-signed-out');
}

async function noToken(page, shot) {
  await page.goto(base + '/login');
  await page.evaluate(() => document.querySelector('#login input[name=_xsrf]').remove());
  await page.fill('#name', 'demo');
  await page.fill('#password', 'squall');
  const response = await submit(page, '#login button[type=submit]');
  check(response.status() === 403, 'the form without its XSRF token gets 403: ' + response.status());
  await shot('no-token-403');
  await page.goto(base + '/me');
  check(page.url().startsWith(base + '/login'), 'and nobody was signed in');
}

(async () => {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM, headless: true, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage();
    page.setDefaultTimeout(20000);
    const shot = (name) => page.screenshot({ path: shots + '/' + name + '.png', fullPage: true });
    if (scenario === 'journey') await journey(page, shot);
    else if (scenario === 'no-token') await noToken(page, shot);
    else throw new Error('unknown scenario ' + scenario);
    console.log('PASSED ' + scenario);
  } finally {
    await browser.close();
  }
})().catch((e) => { console.error(e && e.stack ? e.stack : e); process.exit(1); });
