// kafkajs transactions against the broker: commit, abort, sendOffsets and a fenced zombie,
// then what read_committed and read_uncommitted consumers see.
// Usage: node kafkajs-transactions.js <broker> <topic> <transactional id> <group>
const { Kafka, logLevel } = require('kafkajs');
const [broker, topic, transactionalId, groupId] = process.argv.slice(2);
process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
const kafka = new Kafka({ clientId: 'kafkajs-transactions', brokers: [broker], logLevel: logLevel.NOTHING });
const txProducer = () => kafka.producer({ transactionalId, maxInFlightRequests: 1, idempotent: true });

async function readAll(readUncommitted, expected) {
  const consumer = kafka.consumer({ groupId: `${groupId}-read-${readUncommitted}`, readUncommitted });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const seen = [];
  await consumer.run({ eachMessage: async ({ partition, message }) => { seen.push(`${partition}:${message.value}`); } });
  const deadline = Date.now() + 30000;
  while (seen.length < expected && Date.now() < deadline) await new Promise(r => setTimeout(r, 100));
  await new Promise(r => setTimeout(r, 1000)); // anything that should not be there has time to arrive
  await consumer.disconnect();
  return seen.sort();
}

(async () => {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });

  const first = txProducer();
  await first.connect();
  let tx = await first.transaction();
  await tx.send({ topic, messages: [{ value: 'committed-1', partition: 0 }, { value: 'committed-2', partition: 1 }] });
  await tx.commit();
  tx = await first.transaction();
  await tx.send({ topic, messages: [{ value: 'aborted-1', partition: 0 }] });
  await tx.abort();
  tx = await first.transaction();
  await tx.send({ topic, messages: [{ value: 'committed-3', partition: 0 }] });
  await tx.sendOffsets({ consumerGroupId: groupId, topics: [{ topic, partitions: [{ partition: 0, offset: '7' }] }] });
  await tx.commit();

  // A second producer with the same transactional id fences the first.
  const second = txProducer();
  await second.connect();
  tx = await second.transaction();
  await tx.send({ topic, messages: [{ value: 'committed-4', partition: 1 }] });
  await tx.commit();
  try {
    const zombie = await first.transaction();
    await zombie.send({ topic, messages: [{ value: 'zombie', partition: 0 }] });
    await zombie.commit();
    console.log('zombie committed');
  } catch (e) {
    console.log(`zombie fenced ${e.type || e.name}`);
  }
  await second.disconnect();
  await first.disconnect().catch(() => {});

  console.log(`read_committed ${JSON.stringify(await readAll(false, 4))}`);
  console.log(`read_uncommitted ${JSON.stringify(await readAll(true, 5))}`);
  const offsets = await admin.fetchOffsets({ groupId, topics: [topic] });
  console.log(`group offset ${offsets[0].partitions.find(p => p.partition === 0).offset}`);
  await admin.disconnect();
})().catch(e => { console.error('FAILED', e); process.exit(1); });
