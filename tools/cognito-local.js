#!/usr/bin/env node
// Runs cognito-local, the npm package pinned in package-lock.json, with
// changes that bring it closer to Cognito:
//
//   - every message it delivers goes to the local stack's mailbox as well as
//     to its log: an email through SES v2 and an SMS through SNS at
//     MAILBOX_ENDPOINT (the stack's moto_server), from MAILBOX_SENDER;
//   - a custom message, post confirmation or post authentication function
//     that fails fails the call with the function's error, as in Cognito,
//     where cognito-local logs the error and carries on (sending its
//     default text, for a custom message);
//   - a function that does not answer within the Lambda client's timeout
//     (Cognito's 5 seconds) is invoked again, three attempts in all, as
//     Cognito does;
//   - a function that cannot be invoked (no answer after those attempts,
//     an endpoint error) gives Cognito's UnexpectedLambdaException, naming
//     the trigger.
//
// internal/cognitolocal starts it, for make local and the tests.
"use strict";

const { AsyncLocalStorage } = require("node:async_hooks");
const express = require("express");
const { CognitoError } = require("cognito-local/lib/errors");
const { LambdaService } = require("cognito-local/lib/services/lambda");
const {
  ConsoleMessageSender,
} = require("cognito-local/lib/services/messageDelivery/consoleMessageSender");

// The triggers whose failure cognito-local logs and ignores.
const swallowed = new Set(["CustomMessage", "PostConfirmation", "PostAuthentication"]);

// Each HTTP request runs with a store of its own, which keeps the failure
// of a trigger of the call for the delivery and the answer.
const calls = new AsyncLocalStorage();
const handle = express.application.handle;
express.application.handle = function (req, res, callback) {
  return calls.run({}, () => handle.call(this, req, res, callback));
};

// isTimeout reports whether the Lambda client gave up waiting.
const isTimeout = (err) => err.code === "TimeoutError" || /timed? ?out/i.test(err.message || "");

const invoke = LambdaService.prototype.invoke;
LambdaService.prototype.invoke = async function (ctx, trigger, event) {
  // Invoke through a view of this service whose Lambda client keeps the
  // error of the call, which cognito-local would replace with a generic one.
  // Cognito tries a function that does not answer within its 5 seconds
  // again, three attempts in all.
  let cause;
  const client = this.lambdaClient;
  const attempt = async (params, left) => {
    try {
      return await client.invoke(params).promise();
    } catch (err) {
      cause = err;
      if (left > 1 && isTimeout(err)) {
        return attempt(params, left - 1);
      }
      throw err;
    }
  };
  const view = Object.create(this, {
    lambdaClient: { value: { invoke: (params) => ({ promise: () => attempt(params, 3) }) } },
  });
  try {
    return await invoke.call(view, ctx, trigger, event);
  } catch (err) {
    let failure = err;
    if (err.code === "UnexpectedLambdaExceptionException") {
      const why =
        cause && isTimeout(cause) ? "Socket timeout while invoking Lambda function" : (cause && cause.code) || "an unknown error";
      failure = new CognitoError("UnexpectedLambdaException", `${trigger} invocation failed due to error ${why}.`);
    }
    const call = calls.getStore();
    if (swallowed.has(trigger) && call) {
      call.failure = failure;
    }
    throw failure;
  }
};

// A message whose custom message failed is not sent: the call fails.
for (const method of ["sendEmail", "sendSms"]) {
  const send = ConsoleMessageSender.prototype[method];
  ConsoleMessageSender.prototype[method] = function (ctx, ...rest) {
    const call = calls.getStore();
    if (call && call.failure) {
      return Promise.reject(call.failure);
    }
    return send.call(this, ctx, ...rest);
  };
}

// A call that succeeded in spite of a failed trigger answers with the
// trigger's error, as Cognito does (what the call changed stays changed).
const send = express.response.send;
express.response.send = function (body) {
  const call = calls.getStore();
  if (call && call.failure && this.statusCode === 200) {
    const { code, message } = call.failure;
    call.failure = undefined;
    this.status(400).type("application/x-amz-json-1.1");
    return send.call(this, JSON.stringify({ __type: code, message }));
  }
  return send.call(this, body);
};

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
  const sendEmail = ConsoleMessageSender.prototype.sendEmail;
  const sendSms = ConsoleMessageSender.prototype.sendSms;
  // Cognito's default verification message, where no custom message
  // trigger wrote one.
  const defaultText = (code) => `Your verification code is ${code}.`;

  ConsoleMessageSender.prototype.sendEmail = async function (ctx, user, destination, message) {
    await sendEmail.call(this, ctx, user, destination, message);
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
    await sendSms.call(this, ctx, user, destination, message);
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
