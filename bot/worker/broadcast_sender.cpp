#include "bot/worker/broadcast_sender.h"

#include "bot/customers/segment_filter.h"
#include "bot/playbook/holdout.h"
#include "bot/trigger.h"
#include "store/broadcast_store.h"
#include "store/database.h"
#include "store/segment_store.h"
#include "store/write_gate.h"

#include <spdlog/spdlog.h>

#include <chrono>

namespace pheu::bot {

namespace {

// Customers decided per transaction: a few milliseconds of work, so the inbox writer, which
// goes first at the write gate, never waits long.
constexpr int k_chunk = 100;
// A broadcast's messages that may wait for delivery before more are decided.
constexpr std::int64_t k_max_waiting = 2 * k_chunk;

// Starts the broadcasts whose moment came: the segment's filter as it is now, and its count.
void start_due(store::BroadcastStore& broadcasts, store::SegmentStore& segments, std::int64_t now) {
    for (const std::int64_t id : broadcasts.due_to_start(now)) {
        const auto broadcast = broadcasts.get(id);
        const auto segment = broadcast ? segments.get(broadcast->draft.segment_id) : std::nullopt;
        if (!segment) {
            broadcasts.move(id, {store::BroadcastStatus::scheduled}, store::BroadcastStatus::cancelled, now);
            spdlog::warn("broadcasts: broadcast {} cancelled: its segment no longer exists", id);
            continue;
        }
        const auto filter = parse_segment_filter(nlohmann::json::parse(segment->filter_json));
        broadcasts.start(id, segment->filter_json, segments.count(filter, segment_clock(now)), now);
        spdlog::info("broadcasts: broadcast {} started", id);
    }
}

} // namespace

BroadcastSender::BroadcastSender(const std::string& database_path, store::WriteGate& gate, Clock clock,
                                 std::int64_t interval_ms, const PipelineOptions& pipeline)
    : m_db(store::sql::open_connection(database_path, store::Sync::normal)),
      m_pipeline(std::make_unique<Pipeline>(*m_db, pipeline)), m_gate(gate), m_clock(std::move(clock)),
      m_outbox_changed(pipeline.outbox_changed),
      m_loop("broadcasts", std::chrono::milliseconds(interval_ms), [this] { return pass(); }) {}

BroadcastSender::~BroadcastSender() {
    stop();
}

void BroadcastSender::start() {
    m_loop.start();
}

void BroadcastSender::stop() {
    m_loop.stop();
}

void BroadcastSender::notify() {
    m_loop.wake();
}

std::future<std::optional<store::WrittenMessage>> BroadcastSender::test(std::int64_t broadcast_id,
                                                                        std::int64_t customer_id) {
    TestRequest request{.broadcast_id = broadcast_id, .customer_id = customer_id, .answer = {}};
    auto answer = request.answer.get_future();
    {
        const std::lock_guard lock(m_tests_mutex);
        m_tests.push_back(std::move(request));
    }
    m_loop.wake();
    return answer;
}

void BroadcastSender::run_tests(std::vector<TestRequest>& tests, std::int64_t now) {
    const auto gate = m_gate.enter_bulk();
    store::sql::Transaction transaction(*m_db);
    m_pipeline->reload();
    store::BroadcastStore broadcasts(*m_db);
    std::vector<std::optional<store::WrittenMessage>> answers;
    for (auto& request : tests) {
        const auto broadcast = broadcasts.get(request.broadcast_id);
        if (!broadcast) {
            answers.emplace_back();
            continue;
        }
        const BroadcastDecision sent =
            m_pipeline->playbooks().send_broadcast(BroadcastMessage{.broadcast_id = broadcast->id,
                                                                    .customer_id = request.customer_id,
                                                                    .template_id = broadcast->draft.template_id,
                                                                    .campaign = broadcast->draft.campaign,
                                                                    .respect_caps = false,
                                                                    .test = true},
                                                   now);
        answers.push_back(broadcasts.message(sent.idempotency_key));
    }
    transaction.commit();
    for (std::size_t i = 0; i < tests.size(); ++i) {
        tests[i].answer.set_value(std::move(answers[i]));
    }
    if (m_outbox_changed) {
        m_outbox_changed();
    }
}

bool BroadcastSender::pass() {
    const std::int64_t now = m_clock();
    std::vector<TestRequest> tests;
    {
        const std::lock_guard lock(m_tests_mutex);
        tests.swap(m_tests);
    }
    if (!tests.empty()) {
        try {
            run_tests(tests, now);
        } catch (...) {
            for (auto& request : tests) { // a storage fault: the shop is told it did not happen
                request.answer.set_exception(std::current_exception());
            }
            throw;
        }
    }
    // Idle, the sender only reads: the write gate is for when there is work.
    if (!store::BroadcastStore(*m_db).any_active(now)) {
        return false;
    }
    bool more = false;
    bool decided = false;
    {
        const auto gate = m_gate.enter_bulk();
        store::sql::Transaction transaction(*m_db);
        m_pipeline->reload();
        store::BroadcastStore broadcasts(*m_db);
        store::SegmentStore segments(*m_db);
        start_due(broadcasts, segments, now);
        for (const std::int64_t id : broadcasts.fully_decided()) {
            if (broadcasts.waiting(id) == 0) {
                broadcasts.finish(id, now);
                spdlog::info("broadcasts: broadcast {} done", id);
            }
        }
        const auto broadcast = broadcasts.next_to_decide();
        if (broadcast && broadcasts.waiting(broadcast->id) < k_max_waiting) {
            const auto filter = parse_segment_filter(nlohmann::json::parse(broadcast->filter_json.value_or("{}")));
            const auto customers = segments.member_ids(filter, segment_clock(now), broadcast->next_customer, k_chunk);
            std::int64_t reserved = broadcast->reserved_vnd;
            const auto& draft = broadcast->draft;
            const std::string experiment = Trigger::broadcast(broadcast->id).text();
            for (const std::int64_t customer : customers) {
                const std::string& template_id =
                    variant_template(experiment, customer, draft.variants, draft.template_id);
                const BroadcastDecision sent = m_pipeline->playbooks().send_broadcast(
                    BroadcastMessage{.broadcast_id = broadcast->id,
                                     .customer_id = customer,
                                     .template_id = template_id,
                                     .campaign = draft.campaign,
                                     .holdout_percent = draft.holdout_percent,
                                     .respect_caps = draft.respect_caps,
                                     .budget_left_vnd =
                                         draft.budget_vnd ? std::optional(*draft.budget_vnd - reserved) : std::nullopt},
                    now);
                broadcasts.record_send(broadcast->id, customer, sent.idempotency_key, sent.route, sent.cost_vnd);
                reserved += sent.cost_vnd;
            }
            const bool last = customers.size() < static_cast<std::size_t>(k_chunk);
            broadcasts.advance(broadcast->id, customers.empty() ? broadcast->next_customer : customers.back(), reserved,
                               last, now);
            more = !last;
            decided = !customers.empty();
        }
        transaction.commit();
    }
    if (decided && m_outbox_changed) {
        m_outbox_changed();
    }
    return more;
}

} // namespace pheu::bot
