// Package schema reads records written in the Confluent wire format (magic
// byte 0, a 4-byte big-endian schema id, for Protobuf message indexes, then
// the encoded body) through a Schema Registry: it fetches each schema once
// per id, decodes Avro, Protobuf and JSON Schema bodies into JSON, and
// encodes JSON back for the produce paths.
//
// It speaks HTTP to the registry through franz-go's sr client and does not
// import the kafka package: the client layer (kafka.Client.Registry) owns
// one Registry per connection, and the views and commands reach it there.
package schema
