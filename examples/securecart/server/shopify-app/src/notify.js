// Posts fulfilment failures to the operations channel.
const fetch = require("node-fetch");

const WEBHOOK = "https://hooks.slack.com/services/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";

async function notifyFailure(order, reason) {
  const token = process.env.SHOPIFY_ACCESS_TOKEN;
  if (!token) {
    throw new Error("SHOPIFY_ACCESS_TOKEN is not set");
  }
  await fetch(WEBHOOK, {
    method: "POST",
    body: JSON.stringify({ text: `Order ${order.name}: ${reason}` }),
  });
}

module.exports = { notifyFailure };
