#!/usr/bin/env node
// Runs cognito-local, the npm package pinned in package-lock.json, with
// every message it delivers sent to the local stack's mailbox as well as
// written to its log: an email through SES v2 and an SMS through SNS at
// MAILBOX_ENDPOINT (the stack's moto_server), from MAILBOX_SENDER. Without
// MAILBOX_ENDPOINT it runs cognito-local unchanged. internal/cognitolocal
// starts it, for make local and the tests.
"use strict";

const {
  ConsoleMessageSender,
} = require("cognito-local/lib/services/messageDelivery/consoleMessageSender");

const endpoint = process.env.MAILBOX_ENDPOINT;
const sender = process.env.MAILBOX_SENDER || "no-reply@example.com";

// moto_server routes a request by the service in its credential scope and
// does not check the signature.
const authorization = (service) =>
  `AWS4-HMAC-SHA256 Credential=local/20200101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`;

async function post(path, service, contentType, body) {
  const res = await fetch(endpoint + path, {
    method: "POST",
    headers: { Authorization: authorization(service), "Content-Type": contentType },
    body,
  });
  if (!res.ok) {
    throw new Error(`the mailbox (${service} at ${endpoint}) answered ${res.status}: ${await res.text()}`);
  }
}

if (endpoint) {
  const toLog = ConsoleMessageSender.prototype.sendToConsole;
  // Cognito's default verification message, where no custom message
  // trigger wrote one.
  const defaultText = (code) => `Your verification code is ${code}.`;

  ConsoleMessageSender.prototype.sendEmail = async function (ctx, user, destination, message) {
    await toLog.call(this, ctx, user, destination, message);
    await post(
      "/v2/email/outbound-emails",
      "ses",
      "application/json",
      JSON.stringify({
        FromEmailAddress: sender,
        Destination: { ToAddresses: [destination] },
        Content: {
          Simple: {
            Subject: { Data: message.emailSubject || "Your verification code" },
            Body: { Html: { Data: message.emailMessage || defaultText(message.__code) } },
          },
        },
      }),
    );
  };

  ConsoleMessageSender.prototype.sendSms = async function (ctx, user, destination, message) {
    await toLog.call(this, ctx, user, destination, message);
    const form = new URLSearchParams({
      Action: "Publish",
      Version: "2010-03-31",
      PhoneNumber: destination,
      Message: message.smsMessage || defaultText(message.__code),
    });
    await post("/", "sns", "application/x-www-form-urlencoded", form.toString());
  };
}

require("cognito-local/lib/bin/start.js");
