package kafka

import (
	"time"
	"unsafe"

	"kflow/lag"
)

// Broker is one broker of the cluster as its metadata advertises it.
type Broker struct {
	ID         int32  `json:"id"`
	Host       string `json:"host"`
	Port       int32  `json:"port"`
	Rack       string `json:"rack,omitempty"`
	Controller bool   `json:"controller"`
}

// Addr is the broker's advertised host:port.
func (b Broker) Addr() string { return joinHostPort(b.Host, b.Port) }

// ClusterInfo is the identity and membership of the cluster.
type ClusterInfo struct {
	ClusterID  string   `json:"cluster_id"`
	Controller int32    `json:"controller"`
	Brokers    []Broker `json:"brokers"`
}

// TopicSummary is one row of the topic list: enough to see size and health
// without describing every partition.
type TopicSummary struct {
	Name              string `json:"name"`
	Partitions        int    `json:"partitions"`
	ReplicationFactor int    `json:"replication_factor"`
	Internal          bool   `json:"internal"`
	// Records is the sum over partitions of end minus start offset: what a
	// consumer from the beginning would read (transaction markers and
	// compacted-away records make it an upper bound).
	Records int64 `json:"records"`
	// EndOffsets is the sum of the partitions' end offsets; sampling it
	// over time gives the topic's produce rate.
	EndOffsets int64 `json:"end_offsets"`
	// UnderReplicated counts partitions whose ISR is smaller than their
	// replica set; Offline counts partitions without a leader.
	UnderReplicated int `json:"under_replicated"`
	Offline         int `json:"offline"`
	// UnderMinISR counts partitions whose ISR is below MinISR, the topic's
	// min.insync.replicas: produce with acks=all fails there. MinISR is 0
	// when the topic's configs could not be read.
	UnderMinISR int `json:"under_min_isr"`
	MinISR      int `json:"min_insync_replicas"`
}

// Unhealthy reports whether some partition of the topic is offline,
// under-replicated or under its min ISR.
func (t TopicSummary) Unhealthy() bool {
	return t.Offline > 0 || t.UnderReplicated > 0 || t.UnderMinISR > 0
}

// PartitionInfo describes one partition of a topic.
type PartitionInfo struct {
	Partition       int32   `json:"partition"`
	Leader          int32   `json:"leader"` // -1 when offline
	LeaderEpoch     int32   `json:"leader_epoch"`
	Replicas        []int32 `json:"replicas"`
	ISR             []int32 `json:"isr"`
	OfflineReplicas []int32 `json:"offline_replicas"`
	StartOffset     int64   `json:"start_offset"`
	EndOffset       int64   `json:"end_offset"`
	// MinISR is the topic's min.insync.replicas (0: unknown).
	MinISR int `json:"min_insync_replicas"`
	// Health is the partition's worst mark: HealthOK, HealthUnderReplicated,
	// HealthUnderMinISR or HealthOffline (filled by DescribeTopic).
	Health string `json:"health"`
	// Err is the partition's load error, if the broker reported one.
	Err string `json:"error,omitempty"`
}

// Offline reports whether the partition has no leader.
func (p PartitionInfo) Offline() bool { return p.Leader < 0 }

// UnderMinISR reports whether the ISR is below the topic's
// min.insync.replicas, so that produce with acks=all fails.
func (p PartitionInfo) UnderMinISR() bool { return p.MinISR > 0 && len(p.ISR) < p.MinISR }

// Records is end minus start offset.
func (p PartitionInfo) Records() int64 { return p.EndOffset - p.StartOffset }

// UnderReplicated reports whether some replica is out of the ISR.
func (p PartitionInfo) UnderReplicated() bool { return len(p.ISR) < len(p.Replicas) }

// TopicDetail is a described topic, partitions in partition order.
type TopicDetail struct {
	Name              string `json:"name"`
	ID                string `json:"id"`
	Internal          bool   `json:"internal"`
	ReplicationFactor int    `json:"replication_factor"`
	// MinISR is the topic's min.insync.replicas (0: unknown).
	MinISR     int             `json:"min_insync_replicas"`
	Partitions []PartitionInfo `json:"partitions"`
}

// ConfigEntry is one configuration value of a topic or a broker.
type ConfigEntry struct {
	Name      string `json:"name"`
	Value     string `json:"value"`
	Source    string `json:"source"` // e.g. DYNAMIC_TOPIC_CONFIG, DEFAULT_CONFIG
	IsDefault bool   `json:"is_default"`
	Sensitive bool   `json:"sensitive"`
	// ReadOnly: a running broker cannot change it (broker configs).
	ReadOnly bool `json:"read_only"`
	// Dynamic: set at run time (a DYNAMIC_* source), so a reset removes it.
	Dynamic bool `json:"dynamic"`
	// Default and DefaultSource are what the value falls back to when
	// the dynamic value is reset (the next synonym Kafka lists).
	Default       string `json:"default,omitempty"`
	DefaultSource string `json:"default_source,omitempty"`
}

// TopicSpec is what CreateTopic needs. A zero Partitions or
// ReplicationFactor means the broker's default.
type TopicSpec struct {
	Name              string            `json:"name"`
	Partitions        int32             `json:"partitions"`
	ReplicationFactor int16             `json:"replication_factor"`
	Configs           map[string]string `json:"configs,omitempty"`
}

// Header is one record header. Values are bytes: Kafka does not promise text.
type Header struct {
	Key   string `json:"key"`
	Value []byte `json:"value"`
}

// Record is a Kafka record as kflow carries it. Consumed records may have
// Key or Value truncated to a cap (see TailOptions.MaxValueBytes): KeySize
// and ValueSize always hold the true sizes, so a view can say what it cut.
type Record struct {
	Topic     string    `json:"topic"`
	Partition int32     `json:"partition"` // -1 on produce: let kflow pick
	Offset    int64     `json:"offset"`
	Timestamp time.Time `json:"timestamp"`
	Key       []byte    `json:"key"`   // nil means a null key
	Value     []byte    `json:"value"` // nil means a null value (a tombstone)
	Headers   []Header  `json:"headers"`
	KeySize   int       `json:"key_size"`
	ValueSize int       `json:"value_size"`
}

// Truncated reports whether the key or value held is shorter than the
// record's true one.
func (r *Record) Truncated() bool { return len(r.Key) < r.KeySize || len(r.Value) < r.ValueSize }

// Size is the record's key, value and header bytes.
func (r *Record) Size() int {
	size, _ := r.sizes()
	return size
}

// recordSlot is the memory of one Record value in an array: what a ring
// slot or a view's entry costs before any key, value or header byte.
const recordSlot = int(unsafe.Sizeof(Record{}))

// RecordOverhead is what a held record costs beyond its key, value and
// headers, counted against a buffer's byte budget so that a buffer of
// tiny records is bounded too: its struct and a few words of index
// (the tail view keeps a flag and a sequence number per record) in slices
// grown by doubling, which may be up to half empty. The tail view's store
// test measures it on the heap.
const RecordOverhead = 2 * (recordSlot + 24)

// HeaderOverhead is what each header costs beyond its key and value bytes:
// its struct in the record's header slice, rounded to the allocator's
// size class.
const HeaderOverhead = 48

// HeldBytes is the memory a held record takes: its key, value and header
// bytes (truncated where capped) and its RecordOverhead and
// HeaderOverhead. Buffers of records are budgeted by it.
func (r *Record) HeldBytes() int {
	_, held := r.sizes()
	return held + RecordOverhead
}

// sizes is Size and the held bytes less RecordOverhead from one walk of
// the headers, for the ring, which needs both of every record and counts
// its slots itself.
func (r *Record) sizes() (size, held int) {
	var hb int
	for _, h := range r.Headers {
		hb += len(h.Key) + len(h.Value)
	}
	return r.KeySize + r.ValueSize + hb, len(r.Key) + len(r.Value) + hb + len(r.Headers)*HeaderOverhead
}

// ProduceResult says where a produced record landed.
type ProduceResult struct {
	Topic     string    `json:"topic"`
	Partition int32     `json:"partition"`
	Offset    int64     `json:"offset"`
	Timestamp time.Time `json:"timestamp"`
}

// GroupSummary is one row of the consumer group list.
type GroupSummary struct {
	ID string `json:"id"`
	// State as the coordinator reports it: Stable, Empty, PreparingRebalance,
	// CompletingRebalance, Assigning, Reconciling, Dead, ...
	State string `json:"state"`
	// Type is "classic" or "consumer" (KIP-848); others ("share",
	// "streams") pass through as the broker names them.
	Type         string `json:"type"`
	ProtocolType string `json:"protocol_type"` // "consumer", "connect", ...
	Protocol     string `json:"protocol"`      // assignor: range, cooperative-sticky, uniform, ...
	Members      int    `json:"members"`
	Coordinator  int32  `json:"coordinator"`
}

// TopicPartitions is a topic and some of its partitions.
type TopicPartitions struct {
	Topic      string  `json:"topic"`
	Partitions []int32 `json:"partitions"`
}

// GroupMember is one member of a consumer group and what it is assigned.
type GroupMember struct {
	MemberID   string            `json:"member_id"`
	InstanceID string            `json:"instance_id,omitempty"`
	ClientID   string            `json:"client_id"`
	Host       string            `json:"host"`
	Assigned   []TopicPartitions `json:"assigned"`
}

// GroupDetail is a described consumer group, of either protocol.
type GroupDetail struct {
	GroupSummary
	MemberList []GroupMember `json:"member_list"`
}

// GroupLag is a group's lag on every partition it has committed to or is
// assigned, with its total.
type GroupLag struct {
	Group      GroupDetail     `json:"group"`
	Partitions []lag.Partition `json:"partitions"`
	TotalLag   int64           `json:"total_lag"`
	// Err says why the group could not be described or its offsets fetched.
	Err string `json:"error,omitempty"`
}

// Topics lists the distinct topics of the lag rows, sorted.
func (g GroupLag) Topics() []string {
	var out []string
	seen := map[string]bool{}
	for _, p := range g.Partitions {
		if !seen[p.Topic] {
			seen[p.Topic] = true
			out = append(out, p.Topic)
		}
	}
	sortStrings(out)
	return out
}
