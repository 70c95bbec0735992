// The chat demo in a real browser: node chat.cjs BASE_URL SCREENSHOT_DIR
// Two pages in two browser contexts (two visitors): a message typed in one appears in the other, as text
// (markup is not interpreted); closing one page announces its leaving to the other and the member count drops.
// Prints each step; exits 1 with the reason when a check fails.
const { chromium } = require('playwright-core');
const [base, shots] = process.argv.slice(2);

function check(condition, what) {
  if (!condition) throw new Error('check failed: ' + what);
  console.log('ok: ' + what);
}

async function open(browser, name) {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(20000);
  await page.goto(base + '/chat?name=' + name);
  await page.waitForFunction(() => document.getElementById('status').textContent === 'connected');
  return { context, page };
}

(async () => {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM, headless: true, args: ['--no-sandbox'] });
  try {
    const alice = await open(browser, 'alice');
    const bob = await open(browser, 'bob');
    await alice.page.waitForSelector('#log li.join:has-text("bob joined")');
    check((await alice.page.textContent('#members')) === '2', 'alice sees bob join: two members');

    await bob.page.fill('#body', '<img src=x onerror="window.pwned=1">hello alice');
    await bob.page.click('#chat button[type=submit]');
    const line = await alice.page.waitForSelector('#log li.message:has-text("hello alice")');
    check((await line.textContent()) === 'bob: <img src=x onerror="window.pwned=1">hello alice',
      'bob\'s message appears on alice\'s page as text: ' + (await line.textContent()));
    check((await alice.page.$$('#log img')).length === 0 && !(await alice.page.evaluate(() => window.pwned)),
      'its markup is not interpreted');
    await bob.page.waitForSelector('#log li.message:has-text("hello alice")');
    await alice.page.screenshot({ path: shots + '/alice.png', fullPage: true });
    await bob.page.screenshot({ path: shots + '/bob.png', fullPage: true });

    await bob.page.close();
    await alice.page.waitForSelector('#log li.leave:has-text("bob left")');
    check((await alice.page.textContent('#members')) === '1', 'closing bob\'s page: alice sees bob leave, one member');
    await alice.page.screenshot({ path: shots + '/alice-after-bob-left.png', fullPage: true });
    await bob.context.close();
    await alice.context.close();
    console.log('PASSED chat');
  } finally {
    await browser.close();
  }
})().catch((e) => { console.error(e && e.stack ? e.stack : e); process.exit(1); });
