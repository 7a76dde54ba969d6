// kafkajs over TLS with SASL (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512) against a broker with ACLs.
// usage: node kafkajs-security.js BOOTSTRAP CA_PEM MECHANISM USER PASSWORD ALLOWED_TOPIC DENIED_TOPIC GROUP
// prints one line per check; exits non-zero on an unexpected failure
const fs = require('fs')
const { Kafka, logLevel } = require('kafkajs')
const [bootstrap, caPem, mechanism, username, password, allowed, denied, group] = process.argv.slice(2)
const ssl = { ca: [fs.readFileSync(caPem, 'utf-8')] }

function client(user, pass) {
  return new Kafka({ clientId: 'kafkajs-security', brokers: [bootstrap], ssl, logLevel: logLevel.NOTHING,
    sasl: { mechanism, username: user, password: pass }, retry: { retries: 2, initialRetryTime: 100 } })
}

/** The Kafka error type of a kafkajs error, looking through its wrappers. */
function kafkaType(e) {
  for (let c = e; c; c = c.cause || c.originalError) {
    if (c.type) return c.type
  }
  return e.name + ': ' + e.message
}

async function main() {
  const kafka = client(username, password)
  const producer = kafka.producer()
  await producer.connect()
  const messages = []
  for (let i = 0; i < 5; i++) messages.push({ key: 'k' + i, value: 'v' + i })
  await producer.send({ topic: allowed, messages })
  console.log('produced', messages.length)

  try {
    await producer.send({ topic: denied, messages: [{ value: 'nope' }] })
    console.log('denied write NONE')
  } catch (e) {
    console.log('denied write', kafkaType(e))
  }
  await producer.disconnect()

  const consumer = kafka.consumer({ groupId: group, sessionTimeout: 10000, heartbeatInterval: 500 })
  await consumer.connect()
  await consumer.subscribe({ topic: allowed, fromBeginning: true })
  let seen = 0
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('consumed only ' + seen)), 30000)
    consumer.run({ eachMessage: async () => { if (++seen === 5) { clearTimeout(timer); resolve() } } }).catch(reject)
  })
  await consumer.disconnect()
  console.log('consumed', seen)

  const wrong = client(username, password + '-wrong').producer()
  try {
    await wrong.connect()
    console.log('wrong password NONE')
  } catch (e) {
    console.log('wrong password', kafkaType(e))
  }
}

main().then(() => process.exit(0), e => { console.error('FAILED', e); process.exit(1) })
