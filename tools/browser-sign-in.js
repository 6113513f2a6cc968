#!/usr/bin/env node
// Signs in on the local stack's browser example (SignInPath of
// internal/devstack) in headless Chromium, as a person would: types the
// email address, reads the code or the magic link from the mailbox,
// types the code or opens the link. The test of the browser example runs
// it:
//
//   node browser-sign-in.js URL EMAIL code|link|wrong-codes
//
// URL is the user-pool endpoint of the stack. It prints one JSON line:
// {"signedIn": <the sub of the ID token, or "">, "failed": <the error
// code the page showed, or "">, "status": <the page's status line>}, and
// exits 0; 1 when it could not run the browser or the page.
// CHROMIUM names the browser (/usr/bin/chromium by default).
"use strict";

const { chromium } = require("playwright-core");

const [url, email, mode] = process.argv.slice(2);

async function mailbox() {
  const res = await fetch(`${url}/mailbox?to=${encodeURIComponent(email)}&last=1`);
  const [message] = await res.json();
  if (!message) throw new Error(`the mailbox of ${email} is empty`);
  return message;
}

async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    // This machine's network is closed: keep Chromium from calling home.
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
  try {
    const context = await browser.newContext();
    context.setDefaultTimeout(20000);
    let page = await context.newPage();
    await page.goto(`${url}/sign-in`);
    await page.fill("#email", email);
    await page.click("#start button");
    await page.waitForSelector("#answer:not([hidden])");
    const message = await mailbox();
    const code = (message.subject.match(/\b\d{6}\b/) || [""])[0];
    if (mode === "link") {
      const link = message.body.match(/https?:\/\/[^"'<>\s]+\/sign-in#[A-Za-z0-9_-]+/);
      if (!link) throw new Error("the sign-in email holds no link");
      // As from a mail program: a new tab of the same browser.
      page = await context.newPage();
      await page.goto(link[0]);
    } else {
      const wrong = mode === "wrong-codes" ? 3 : 1;
      for (let i = 0; i < wrong; i++) {
        // A wrong code: the page asks again (a new round), until the flow
        // gives up.
        const rounds = await page.evaluate(() => Number(document.body.dataset.rounds));
        await page.fill("#code", String((Number(code[0]) + 1) % 10) + code.slice(1));
        await page.click("#answer button");
        await page.waitForFunction((n) => Number(document.body.dataset.rounds) > n || document.body.dataset.failed, rounds);
      }
      if (mode !== "wrong-codes") {
        await page.fill("#code", code);
        await page.click("#answer button");
      }
    }
    await page.waitForFunction(() => document.body.dataset.signedIn || document.body.dataset.failed ||
      /another browser|page failed/.test(document.getElementById("status").textContent));
    const result = await page.evaluate(() => ({
      signedIn: document.body.dataset.signedIn || "",
      failed: document.body.dataset.failed || "",
      status: document.getElementById("status").textContent,
    }));
    console.log(JSON.stringify(result));
  } finally {
    await browser.close();
  }
}

main().catch((err) => {
  console.error(`browser-sign-in: ${err.message}`);
  process.exit(1);
});
