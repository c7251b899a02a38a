package cleanrocketmq.compat;

import static cleanrocketmq.compat.ProbeSupport.emit;
import static cleanrocketmq.compat.ProbeSupport.obj;

import java.util.List;
import java.util.stream.Collectors;

import org.apache.rocketmq.client.consumer.AllocateMessageQueueStrategy;
import org.apache.rocketmq.client.consumer.rebalance.AllocateMessageQueueAveragely;
import org.apache.rocketmq.common.message.MessageQueue;

/**
 * ClientProbe consume --report-queues: the client's default allocation (AllocateMessageQueueAveragely),
 * printing {"assigned":[queueIds],"topic","consumers","consumer","atMs"} whenever the queues allocated
 * to this consumer for the subscribed topic change (the client calls allocate on every rebalance).
 */
final class AssignmentReporter implements AllocateMessageQueueStrategy {

    private final AllocateMessageQueueStrategy inner = new AllocateMessageQueueAveragely();
    private final String topic;
    private final String instance;
    private List<Integer> last;

    AssignmentReporter(String topic, String instance) {
        this.topic = topic;
        this.instance = instance;
    }

    @Override
    public List<MessageQueue> allocate(String group, String currentCID, List<MessageQueue> mqAll,
        List<String> cidAll) {
        List<MessageQueue> allocated = inner.allocate(group, currentCID, mqAll, cidAll);
        if (!mqAll.isEmpty() && topic.equals(mqAll.get(0).getTopic())) {
            report(allocated, cidAll.size());
        }
        return allocated;
    }

    private synchronized void report(List<MessageQueue> allocated, int consumers) {
        List<Integer> queueIds = allocated.stream().map(MessageQueue::getQueueId).sorted()
            .collect(Collectors.toList());
        if (queueIds.equals(last)) {
            return;
        }
        last = queueIds;
        emit(obj("assigned", queueIds, "topic", topic, "consumers", consumers, "consumer", instance,
            "atMs", System.currentTimeMillis()));
    }

    @Override
    public String getName() {
        return inner.getName();
    }
}
