// A Node.js client (kafkajs) against the broker: admin, idempotent producer, consumer group.
// usage: node kafkajs-smoke.js BOOTSTRAP TOPIC GROUP   -> prints one line per check, exits non-zero on failure
const { Kafka, CompressionTypes, logLevel } = require('kafkajs')
const [bootstrap, topic, group] = process.argv.slice(2)
const kafka = new Kafka({ clientId: 'kafkajs-smoke', brokers: [bootstrap], logLevel: logLevel.NOTHING })

async function main() {
  const admin = kafka.admin()
  await admin.connect()
  await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true })
  console.log('created', (await admin.listTopics()).includes(topic))

  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 })
  await producer.connect()
  const messages = []
  for (let i = 0; i < 20; i++) messages.push({ key: 'k' + (i % 4), value: 'v' + i, headers: { n: String(i) } })
  await producer.send({ topic, compression: CompressionTypes.GZIP, messages })
  await producer.disconnect()
  const offsets = await admin.fetchTopicOffsets(topic)
  console.log('produced', offsets.reduce((n, p) => n + Number(p.high), 0))

  const consumer = kafka.consumer({ groupId: group, sessionTimeout: 10000, heartbeatInterval: 500 })
  await consumer.connect()
  await consumer.subscribe({ topic, fromBeginning: true })
  const seen = new Set()
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('consumed only ' + seen.size)), 30000)
    consumer.run({
      eachMessage: async ({ message }) => {
        seen.add(message.value.toString() + '/' + message.headers.n.toString())
        if (seen.size === 20) { clearTimeout(timer); resolve() }
      }
    }).catch(reject)
  })
  await consumer.disconnect() // commits the consumed offsets
  console.log('consumed', seen.size)

  const committed = await admin.fetchOffsets({ groupId: group, topics: [topic] })
  console.log('committed', committed[0].partitions.reduce((n, p) => n + Number(p.offset), 0))
  await admin.disconnect()
}

main().then(() => process.exit(0), e => { console.error('FAIL', e && e.stack || e); process.exit(1) })
