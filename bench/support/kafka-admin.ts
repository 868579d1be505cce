// What the benches ask the broker directly: a fresh topic, a group's committed offsets, and whether
// a group has settled (every member holds partitions), so start-up joins are not counted as
// rebalances of the workload.
import kafkajs, { Kafka, logLevel, type Admin } from 'kafkajs';

// kafkajs is CommonJS: AssignerProtocol is not visible as a named ESM export.
const { AssignerProtocol } = kafkajs;

export interface BenchAdmin {
  readonly admin: Admin;
  createTopic(topic: string, partitions: number): Promise<void>;
  /** Committed offset per partition (-1 when nothing was committed). */
  committedOffsets(groupId: string, topic: string): Promise<Record<number, number>>;
  /** Members and their partition counts while the group is Stable, else undefined. */
  stableAssignment(groupId: string): Promise<number[] | undefined>;
  close(): Promise<void>;
}

export async function benchAdmin(brokers: string[]): Promise<BenchAdmin> {
  // Quiet: kafkajs logs the retried start-up errors of a fresh broker (coordinator not available yet);
  // a real failure still throws.
  const kafka = new Kafka({ clientId: 'kta-bench-admin', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  return {
    admin,
    async createTopic(topic, partitions) {
      await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }] });
    },
    async committedOffsets(groupId, topic) {
      const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return Object.fromEntries(entry.partitions.map((p) => [p.partition, Number(p.offset)]));
    },
    async stableAssignment(groupId) {
      const { groups } = await admin.describeGroups([groupId]);
      const group = groups[0];
      if (!group || group.state !== 'Stable') return undefined;
      return group.members.map((m) => {
        const decoded = AssignerProtocol.MemberAssignment.decode(m.memberAssignment);
        return Object.values(decoded?.assignment ?? {}).reduce((n, partitions) => n + partitions.length, 0);
      });
    },
    close: () => admin.disconnect(),
  };
}
