package kafka

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"

	"kflow/config"
	"kflow/kafka/schema"
)

// DefaultBrokers is where kflow looks when no broker is given.
const DefaultBrokers = "localhost:9092"

// DefaultTimeout bounds dialing and each request when ConnConfig.Timeout is
// zero: long enough for a loaded broker, short enough that a wrong address
// is an error in seconds rather than a hang.
const DefaultTimeout = 10 * time.Second

// ErrReadOnly is returned by every writing operation of a read-only client.
var ErrReadOnly = errors.New("refused: kflow is in read-only mode (--read-only or a read-only context)")

// ConnConfig says how to reach a cluster.
type ConnConfig struct {
	// Brokers are the bootstrap addresses, host:port each.
	Brokers []string
	// ClientID is sent to the brokers; "kflow" when empty.
	ClientID string
	// Timeout bounds dialing and each request; DefaultTimeout when zero.
	Timeout time.Duration
	// TLS, when set, encrypts every connection.
	TLS *config.TLS
	// SASL, when set, authenticates every connection.
	SASL *config.SASL
	// ReadOnly refuses produce, create, delete and offset resets.
	ReadOnly bool
	// Registry, when set, is the cluster's Schema Registry.
	Registry *config.Registry
	// Formats say how named topics' keys and values are read (a context's
	// formats:); a topic not named is read as auto.
	Formats map[string]config.TopicFormat
	// Compression is the codec produced record batches are compressed
	// with, one of Compressions; "" is none, kcat's and Kafka's own
	// producer default (on a fast link, compression costs more CPU than
	// the bytes it saves).
	Compression string

	// now is the clock OAUTHBEARER token expiry is judged by; nil is
	// time.Now (tests set it).
	now func() time.Time
}

// Compressions are the codecs ConnConfig.Compression takes.
var Compressions = []string{"none", "gzip", "snappy", "lz4", "zstd"}

// compressionCodec is the franz-go codec of a ConnConfig.Compression.
func compressionCodec(name string) (kgo.CompressionCodec, error) {
	switch name {
	case "", "none":
		return kgo.NoCompression(), nil
	case "gzip":
		return kgo.GzipCompression(), nil
	case "snappy":
		return kgo.SnappyCompression(), nil
	case "lz4":
		return kgo.Lz4Compression(), nil
	case "zstd":
		return kgo.ZstdCompression(), nil
	}
	return kgo.CompressionCodec{}, fmt.Errorf("compression %q: want one of %s", name, strings.Join(Compressions, ", "))
}

// ContextConn is a config file's context as connection settings (the
// config package parses; this client only connects).
func ContextConn(c config.Context) ConnConfig {
	return ConnConfig{Brokers: c.Brokers, Timeout: c.Timeout, TLS: c.TLS, SASL: c.SASL, ReadOnly: c.ReadOnly, Registry: c.Registry, Formats: c.Formats}
}

func (c ConnConfig) timeout() time.Duration {
	if c.Timeout <= 0 {
		return DefaultTimeout
	}
	return c.Timeout
}

// Client is a connection to one cluster. It is safe for concurrent use.
type Client struct {
	cfg ConnConfig
	cl  *kgo.Client
	adm *kadm.Client

	// baseOpts rebuild a client of the same connection for consumers,
	// which need options of their own.
	baseOpts []kgo.Opt

	// lim sizes the producer's batches per topic (max.message.bytes).
	lim produceLimits

	partsMu sync.Mutex
	parts   map[string]int32 // partition counts for the manual partitioner

	reg *schema.Registry // nil without a registry

	// formats are cfg.Formats parsed (local schemas compiled) at Connect.
	formats map[string][2]schema.Format
}

// Connect dials the cluster and checks that it answers: every address the
// brokers advertise must be reachable from here (see AdvertisedError). It
// returns within about cfg.Timeout, or sooner when ctx ends.
func Connect(ctx context.Context, cfg ConnConfig) (*Client, error) {
	if len(cfg.Brokers) == 0 {
		cfg.Brokers = []string{DefaultBrokers}
	}
	if cfg.ClientID == "" {
		cfg.ClientID = "kflow"
	}
	codec, err := compressionCodec(cfg.Compression)
	if err != nil {
		return nil, err
	}
	sec, err := securityOpts(ctx, cfg)
	if err != nil {
		return nil, err
	}
	t := cfg.timeout()
	base := append([]kgo.Opt{
		kgo.SeedBrokers(cfg.Brokers...),
		kgo.ClientID(cfg.ClientID),
		kgo.DialTimeout(t),
		kgo.RequestTimeoutOverhead(t),
		kgo.RetryTimeout(t),
		kgo.MetadataMinAge(time.Second),
		kgo.MetadataMaxAge(30 * time.Second),
	}, sec...)
	c := &Client{cfg: cfg, baseOpts: base, parts: map[string]int32{}}
	if c.formats, err = ParseFormats(cfg.Formats); err != nil {
		return nil, err
	}
	if err := c.connectRegistry(ctx); err != nil {
		return nil, err
	}
	if err := c.preDial(ctx); err != nil {
		return nil, err
	}
	c.cl, err = kgo.NewClient(append(base,
		kgo.RecordPartitioner(kgo.ManualPartitioner()),
		kgo.ProducerLinger(5*time.Millisecond),
		// Room for ProduceStream's records in flight, so that sending
		// never blocks inside franz-go (see maxOutstanding).
		kgo.MaxBufferedRecords(2*maxOutstanding),
		kgo.ProducerBatchCompression(codec),
		// Batches as large as each topic accepts, not franz-go's 1 MB.
		kgo.ProducerBatchMaxBytesFn(c.lim.batchMax),
		// The broker answers a produce within the timeout. Delivery as a
		// whole is bounded by kflow (DeliveryTimeout), not by
		// kgo.RecordDeliveryTimeout, which counts from the record's own
		// timestamp and so fails at once a record replayed with an old one.
		kgo.ProduceRequestTimeout(t),
	)...)
	if err != nil {
		return nil, fmt.Errorf("configure client for %s: %w", strings.Join(cfg.Brokers, ","), err)
	}
	c.adm = kadm.NewClient(c.cl)
	if err := c.checkAdvertised(ctx); err != nil {
		c.cl.Close()
		return nil, err
	}
	return c, nil
}

// preDial opens a TCP connection to each seed so that an unreachable
// address fails at once with its own cause (refused, unknown host, timeout)
// instead of as a retried request timing out without one.
func (c *Client) preDial(ctx context.Context) error {
	ue := &UnreachableError{Brokers: c.cfg.Brokers}
	for _, b := range c.cfg.Brokers {
		err := dial(ctx, b, c.cfg.timeout())
		if err == nil {
			return nil
		}
		ue.Errs = append(ue.Errs, err)
		ue.Causes = append(ue.Causes, b+": "+describeDialErr(err, c.cfg.timeout()))
	}
	return ue
}

func dial(ctx context.Context, addr string, t time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, t)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		var oe *net.OpError
		if errors.As(err, &oe) && oe.Err != nil {
			return oe.Err
		}
		return err
	}
	return conn.Close()
}

// describeDialErr words a dial error without repeating the address, which
// the caller puts in front: "connection refused", or that a name does not
// resolve (a typo or DNS, not a stopped broker).
func describeDialErr(err error, t time.Duration) string {
	var dns *net.DNSError
	var ne net.Error
	switch {
	case errors.As(err, &dns) && dns.IsNotFound:
		return fmt.Sprintf("the host name %q does not resolve", dns.Name)
	case errors.As(err, &dns):
		return fmt.Sprintf("the host name %q could not be looked up (%s)", dns.Name, dns.Err)
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		if t <= 0 {
			return "timed out"
		}
		return fmt.Sprintf("no answer within %v (timed out)", t)
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.EOF):
		return "the connection was closed"
	}
	return err.Error()
}

// UnreachableError says that no bootstrap address accepted a connection.
type UnreachableError struct {
	Brokers []string
	Causes  []string // one "addr: cause" per broker
	Errs    []error  // the dial error of each broker, when known
}

// Error names each address once, with its cause and what to check.
func (e *UnreachableError) Error() string {
	hint := "is the broker running, and is this the address it listens on?"
	if len(e.Errs) > 0 {
		var dns *net.DNSError
		allDNS, anyTimeout := true, false
		for _, err := range e.Errs {
			allDNS = allDNS && errors.As(err, &dns)
			var ne net.Error
			anyTimeout = anyTimeout || errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
		}
		switch {
		case allDNS:
			hint = "check the host name, and that this machine's DNS knows it"
		case anyTimeout:
			hint = "is the address right, and does a firewall let the connection through?"
		}
	}
	if len(e.Causes) == 1 {
		return fmt.Sprintf("cannot reach Kafka at %s (%s)", e.Causes[0], hint)
	}
	if len(e.Causes) == 0 {
		return fmt.Sprintf("cannot reach Kafka at %s (%s)", strings.Join(e.Brokers, ","), hint)
	}
	return fmt.Sprintf("cannot reach Kafka: %s (%s)", strings.Join(e.Causes, "; "), hint)
}

// AdvertisedError is the connection doctor's finding: the bootstrap address
// answered, but a broker advertises an address this machine cannot reach.
// It is the commonest Docker mistake: a broker inside a compose network
// advertising kafka:9092, which only other containers can resolve.
type AdvertisedError struct {
	Bootstrap  string // the address that answered
	BrokerID   int32
	Advertised string // what the broker told us to use
	Cause      error
}

func (e *AdvertisedError) Error() string {
	return fmt.Sprintf("connected to %s, but broker %d advertises %s, which this machine cannot reach (%v). "+
		"Clients must be told an address they can dial: give the broker a listener for the host and advertise it, "+
		"e.g. in Docker KAFKA_LISTENERS=PLAINTEXT://:9092,HOST://:29092 with "+
		"KAFKA_ADVERTISED_LISTENERS=PLAINTEXT://kafka:9092,HOST://localhost:29092 and publish 29092, "+
		"or for a single container advertise PLAINTEXT://localhost:9092",
		e.Bootstrap, e.BrokerID, e.Advertised, e.Cause)
}

func (e *AdvertisedError) Unwrap() error { return e.Cause }

// checkAdvertised asks a seed for metadata and dials every broker it
// advertises. Without it, an unreachable advertised address makes every
// later request time out with no hint why.
func (c *Client) checkAdvertised(ctx context.Context) error {
	resp, seed, err := c.seedMetadata(ctx)
	if se := securityError(err, c.cfg, strings.Join(c.cfg.Brokers, ",")); se != nil {
		return se
	}
	if err != nil {
		return fmt.Errorf("ask %s for cluster metadata: %w", strings.Join(c.cfg.Brokers, ","), explain(err))
	}
	ctx, cancel := context.WithTimeout(ctx, c.cfg.timeout())
	defer cancel()
	type result struct {
		b   kmsg.MetadataResponseBroker
		err error
	}
	results := make(chan result, len(resp.Brokers))
	dt := min(c.cfg.timeout(), 3*time.Second)
	for _, b := range resp.Brokers {
		go func() { results <- result{b, dial(ctx, joinHostPort(b.Host, b.Port), dt)} }()
	}
	var first *AdvertisedError
	failed := 0
	live := []string{seed}
	for range resp.Brokers {
		r := <-results
		if r.err != nil {
			failed++
		} else if a := joinHostPort(r.b.Host, r.b.Port); a != seed {
			live = append(live, a)
		}
		if r.err != nil && (first == nil || r.b.NodeID < first.BrokerID) {
			first = &AdvertisedError{
				Bootstrap:  strings.Join(c.cfg.Brokers, ","),
				BrokerID:   r.b.NodeID,
				Advertised: joinHostPort(r.b.Host, r.b.Port),
				Cause:      r.err,
			}
		}
	}
	// Some brokers of several unreachable is an incident kflow must show
	// (the brokers view marks them), not a misadvertised listener: only
	// when none answers is connecting pointless.
	if first != nil && failed == len(resp.Brokers) {
		return first
	}
	if len(c.cfg.Brokers) > 1 {
		// franz-go asks a random seed until it has loaded metadata: make
		// the seeds the brokers that answered, so a hung or dead one among
		// several bootstrap addresses costs nothing.
		if err := c.cl.UpdateSeedBrokers(live...); err != nil {
			return fmt.Errorf("seed brokers %s: %w", strings.Join(live, ","), err)
		}
	}
	return nil
}

// seedMetadata asks the seeds for the cluster's brokers, one after the
// other, each within the timeout, until one answers: a hung seed (a stopped
// broker still accepting connections) must not fail a connection the
// other seeds would serve.
// It returns the answer and the address of the seed that gave it.
func (c *Client) seedMetadata(ctx context.Context) (*kmsg.MetadataResponse, string, error) {
	req := kmsg.NewPtrMetadataRequest()
	req.Topics = []kmsg.MetadataRequestTopic{}
	var first error
	for i, b := range c.cl.SeedBrokers() {
		rctx, cancel := context.WithTimeout(ctx, c.cfg.timeout())
		resp, err := b.RetriableRequest(rctx, req)
		cancel()
		if mr, ok := resp.(*kmsg.MetadataResponse); err == nil && ok {
			return mr, c.cfg.Brokers[min(i, len(c.cfg.Brokers)-1)], nil
		}
		if err == nil {
			err = fmt.Errorf("unexpected answer %T to a metadata request", resp)
		}
		if first == nil {
			first = err
		}
		if ctx.Err() != nil {
			break
		}
	}
	if first == nil {
		first = errors.New("no seed broker")
	}
	return nil, "", first
}

// explain turns franz-go's errors into words a user can act on, keeping
// the original for errors.Is.
func explain(err error) error {
	if cause, hint := describeSecurity(err, ConnConfig{}); cause != "" {
		var se *SecurityError
		if errors.As(err, &se) {
			return err
		}
		return &SecurityError{Cause: cause, Hint: hint, Err: err}
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("no answer in time (a TLS or SASL mismatch, or an overloaded broker?): %w", err)
	case errors.Is(err, kerr.IllegalSaslState):
		// A PLAINTEXT or SSL listener answers a SASL handshake so.
		return fmt.Errorf("the listener does not speak SASL (check the port: it must be the broker's SASL_PLAINTEXT or SASL_SSL listener, "+
			"the one whose security.protocol is SASL_*; or remove sasl from the context): %w", err)
	}
	return err
}

// Close ends every connection of the client.
func (c *Client) Close() {
	c.cl.Close()
}

// Brokers are the bootstrap addresses the client was given.
func (c *Client) Brokers() []string { return c.cfg.Brokers }

// ReadOnly reports whether writing operations are refused.
func (c *Client) ReadOnly() bool { return c.cfg.ReadOnly }

// Config is the configuration the client was connected with.
func (c *Client) Config() ConnConfig { return c.cfg }

func (c *Client) writable(what string) error {
	if c.cfg.ReadOnly {
		return fmt.Errorf("%s: %w", what, ErrReadOnly)
	}
	return nil
}

func joinHostPort(host string, port int32) string {
	return net.JoinHostPort(host, strconv.Itoa(int(port)))
}
