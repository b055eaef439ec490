package lag

// Partition is a group's position on one partition: what the client
// fetches and the tracker and time lag read.
type Partition struct {
	Topic     string `json:"topic"`
	Partition int32  `json:"partition"`
	// Committed is the group's committed offset, -1 when it has none.
	Committed int64 `json:"committed"`
	// CommitMetadata is the metadata string stored with the commit.
	CommitMetadata string `json:"commit_metadata,omitempty"`
	StartOffset    int64  `json:"start_offset"`
	EndOffset      int64  `json:"end_offset"`
	// Lag is EndOffset minus Committed (minus StartOffset when nothing is
	// committed), never below zero; -1 when it could not be computed.
	Lag int64 `json:"lag"`
	// The member that owns the partition now, empty when none does.
	MemberID string `json:"member_id,omitempty"`
	ClientID string `json:"client_id,omitempty"`
	Host     string `json:"host,omitempty"`
	Err      string `json:"error,omitempty"`
}

// Group is one group's offsets at one sample, as the tracker and time
// lag read them: the client's richer result (kafka.Group) carries the
// same partitions.
type Group struct {
	// ID is the group's id (or any key the caller tracks by).
	ID         string
	Partitions []Partition
	// Total is the sum of the partitions' lag.
	Total int64
	// Err says why the group could not be described or its offsets fetched.
	Err string
}
