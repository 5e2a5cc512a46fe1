// Signature test vectors from Twilio's official helper library.
//
// Regenerate (outside the repo, so no node_modules lands in it):
//   mkdir -p /tmp/twilio-vectors && cd /tmp/twilio-vectors && npm install twilio
//   NODE_PATH=/tmp/twilio-vectors/node_modules \
//     node /work/main/tests/twilio/vectors/make_vectors.js > signatures.json
//
// Each vector's params are an ordered list of [name, value] pairs, as a body
// carries them; repeated names become an array value for the library, which
// signs each distinct value once, values sorted.
'use strict';
const {getExpectedTwilioSignature} = require('twilio/lib/webhooks/webhooks');

const token = 'f3c9a1b2d4e5f60718293a4b5c6d7e8f';
const base = 'https://fieldline.example.com';

const vectors = [
  {
    name: "webhook-security docs example",
    token: '12345',
    url: 'https://mycompany.com/myapp.php?foo=1&bar=2',
    params: [['CallSid', 'CA1234567890ABCDE'], ['Caller', '+14158675309'], ['Digits', '1234'],
             ['From', '+14158675309'], ['To', '+18005551212']],
  },
  {
    name: 'inbound SMS with media and a tricky body',
    token,
    url: base + '/sms/webhook',
    params: [
      ['ToCountry', 'US'], ['MessageSid', 'SM0123456789abcdef0123456789abcdef'],
      ['AccountSid', 'AC0123456789abcdef0123456789abcdef'], ['From', '+15558675310'],
      ['To', '+15005550006'], ['Body', "Salt done & lot 3 = 2 tons + bags, café ☃ 🚀 it's \"ok\""],
      ['NumMedia', '1'], ['MediaUrl0', 'https://api.twilio.com/2010-04-01/Accounts/AC01/Messages/MM01/Media/ME01'],
      ['MediaContentType0', 'image/jpeg'], ['NumSegments', '1'], ['ApiVersion', '2010-04-01'],
    ],
  },
  {
    name: 'inbound SMS through a messaging service',
    token,
    url: base + '/sms/webhook',
    params: [
      ['SmsMessageSid', 'SM11111111111111111111111111111111'], ['NumMedia', '0'],
      ['SmsSid', 'SM11111111111111111111111111111111'], ['SmsStatus', 'received'],
      ['Body', 'STOP'], ['MessagingServiceSid', 'MG22222222222222222222222222222222'],
      ['To', '+15005550006'], ['ToCity', ''], ['FromState', 'CA'], ['From', '+15558675310'],
      ['MessageSid', 'SM11111111111111111111111111111111'],
      ['AccountSid', 'AC0123456789abcdef0123456789abcdef'], ['ApiVersion', '2010-04-01'],
    ],
  },
  {
    name: 'status callback with an error code',
    token,
    url: base + '/sms/status',
    params: [
      ['MessageSid', 'SM33333333333333333333333333333333'], ['MessageStatus', 'undelivered'],
      ['SmsStatus', 'undelivered'], ['ErrorCode', '30003'], ['From', '+15005550006'],
      ['To', '+15558675310'], ['AccountSid', 'AC0123456789abcdef0123456789abcdef'],
      ['ApiVersion', '2010-04-01'],
    ],
  },
  {
    name: 'URL with a query string',
    token,
    url: base + '/sms/status?tenant=t_42&attempt=2&note=a%20b',
    params: [['MessageSid', 'SM44444444444444444444444444444444'], ['MessageStatus', 'delivered'],
             ['From', '+15005550006'], ['To', '+15558675310']],
  },
  {
    name: 'URL with a port',
    token,
    url: 'http://127.0.0.1:8080/sms/webhook',
    params: [['MessageSid', 'SM55555555555555555555555555555555'], ['Body', 'On my way'],
             ['From', '+15558675310'], ['To', '+15005550006']],
  },
  {
    name: 'repeated keys: distinct values sorted, duplicates signed once',
    token,
    url: base + '/sms/webhook',
    params: [['MediaUrl', 'https://b.example/2'], ['Tag', 'zeta'], ['MediaUrl', 'https://a.example/1'],
             ['MediaUrl', 'https://b.example/2'], ['Tag', 'alpha']],
  },
  {
    name: 'names and values sort in UTF-16 code-unit order, case-sensitive',
    token,
    url: base + '/sms/webhook',
    params: [['body', 'lower'], ['Body', 'upper'], ['X', '\uFF01'], ['X', '\u{1F680}'],
             ['X', 'plain'], ['Empty', ''], ['To', '+15005550006'], ['ToCity', '']],
  },
];

function toObject(pairs) {
  const obj = {};
  for (const [k, v] of pairs) {
    if (!(k in obj)) obj[k] = v;
    else if (Array.isArray(obj[k])) obj[k].push(v);
    else obj[k] = [obj[k], v];
  }
  return obj;
}

const out = vectors.map((v) => ({
  name: v.name,
  token: v.token,
  url: v.url,
  params: v.params,
  signature: getExpectedTwilioSignature(v.token, v.url, toObject(v.params)),
}));
process.stdout.write(JSON.stringify(out, null, 2) + '\n');
