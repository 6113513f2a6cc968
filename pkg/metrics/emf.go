package metrics

import (
	"io"
	"strconv"
	"sync"
	"time"
)

// Emitter writes the metrics of invocations as EMF documents, one JSON
// line each, to a writer (standard output in Lambda, which CloudWatch Logs
// reads). It is safe for concurrent use: each flush is one Write.
type Emitter struct {
	namespace string
	service   string
	function  string
	mu        sync.Mutex
	w         io.Writer
}

// NewEmitter returns an Emitter writing to w in namespace, with service as
// the service dimension and function (the Lambda function's name, "" when
// unknown) as the function_name dimension of ColdStart; a function name
// that is not 1 to 128 letters, digits and _ - . : / is left out. A namespace that
// [CheckNamespace] refuses becomes [DefaultNamespace]; a service that
// [CheckService] refuses becomes [DefaultService]; check them first where
// they come from configuration.
func NewEmitter(w io.Writer, namespace, service, function string) *Emitter {
	if CheckNamespace(namespace) != nil {
		namespace = DefaultNamespace
	}
	if CheckService(service) != nil {
		service = DefaultService
	}
	if !configValue(function) {
		function = ""
	}
	return &Emitter{namespace: namespace, service: service, function: function, w: w}
}

// bufPool holds the buffers documents are encoded in.
var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

// Flush closes c, writes its records as EMF documents, preceded by the
// ColdStart document when coldStart is true, all in one Write, and empties
// c. It writes nothing when there is nothing to write. A write error is
// returned, and the metrics are lost: they must never fail an invocation.
func (e *Emitter) Flush(c *Collector, coldStart bool) error {
	bp := bufPool.Get().(*[]byte)
	b := (*bp)[:0]
	now := time.Now().UnixMilli()
	if coldStart {
		b = e.appendColdStart(b, now)
	}
	if c != nil {
		c.mu.Lock()
		c.open = false
		b = e.appendDocs(b, c, now)
		c.n, c.ext = 0, nil
		c.mu.Unlock()
	}
	var err error
	if len(b) > 0 {
		e.mu.Lock()
		_, err = e.w.Write(b)
		e.mu.Unlock()
	}
	if cap(b) <= 64<<10 {
		*bp = b
		bufPool.Put(bp)
	}
	return err
}

func (e *Emitter) appendColdStart(b []byte, now int64) []byte {
	b = e.appendHead(b, now)
	b = append(b, `{"Namespace":`...)
	b = strconv.AppendQuote(b, e.namespace)
	b = append(b, `,"Dimensions":[["service"`...)
	if e.function != "" {
		b = append(b, `,"function_name"`...)
	}
	b = append(b, `]],"Metrics":[{"Name":"ColdStart","Unit":"Count"}]}]},"service":`...)
	b = strconv.AppendQuote(b, e.service)
	if e.function != "" {
		b = append(b, `,"function_name":`...)
		b = strconv.AppendQuote(b, e.function)
	}
	return append(b, ",\"ColdStart\":1}\n"...)
}

func (e *Emitter) appendHead(b []byte, now int64) []byte {
	b = append(b, `{"_aws":{"Timestamp":`...)
	b = strconv.AppendInt(b, now, 10)
	return append(b, `,"CloudWatchMetrics":[`...)
}

// appendDocs places c's records in documents and appends them; c.mu is
// held.
func (e *Emitter) appendDocs(b []byte, c *Collector, now int64) []byte {
	docs := 0
	for i := 0; i < c.n; i++ {
		r := c.rec(i)
		r.doc = -1
		for d := 0; d < docs && r.doc < 0; d++ {
			if c.fits(i, d) {
				r.doc = d
			}
		}
		if r.doc < 0 {
			r.doc = docs
			docs++
		}
	}
	for d := 0; d < docs; d++ {
		b = e.appendDoc(b, c, d, now)
	}
	return b
}

// fits reports whether record i may join document d, which holds some of
// the records before it: no metric of the same name, no dimension of the
// same name with another value, no metric named like a dimension, and room
// for one more metric.
func (c *Collector) fits(i, d int) bool {
	r := c.rec(i)
	n := 0
	for j := 0; j < i; j++ {
		o := c.rec(j)
		if o.doc != d {
			continue
		}
		if n++; n >= MaxMetrics || o.name == r.name {
			return false
		}
		for k := 0; k < r.nd; k++ {
			rd := r.dim(k)
			if rd.Name == o.name {
				return false
			}
			for l := 0; l < o.nd; l++ {
				od := o.dim(l)
				if od.Name == r.name || od.Name == rd.Name && od.Value != rd.Value {
					return false
				}
			}
		}
		for l := 0; l < o.nd; l++ {
			if o.dim(l).Name == r.name {
				return false
			}
		}
	}
	return true
}

// sameNames reports whether records a and b have the same dimension
// names in the same order: the same dimension set.
func sameNames(a, b *record) bool {
	if a.nd != b.nd {
		return false
	}
	for i := 0; i < a.nd; i++ {
		if a.dim(i).Name != b.dim(i).Name {
			return false
		}
	}
	return true
}

// appendDoc appends document d: one metric directive per dimension set,
// then the dimension values and the metric values.
func (e *Emitter) appendDoc(b []byte, c *Collector, d int, now int64) []byte {
	b = e.appendHead(b, now)
	first := true
	for i := 0; i < c.n; i++ {
		r := c.rec(i)
		if r.doc != d || c.seenSet(i, d) {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, `{"Namespace":`...)
		b = strconv.AppendQuote(b, e.namespace)
		b = append(b, `,"Dimensions":[["service"`...)
		for k := 0; k < r.nd; k++ {
			b = append(b, ',')
			b = strconv.AppendQuote(b, r.dim(k).Name)
		}
		b = append(b, `]],"Metrics":[`...)
		for j, m := i, 0; j < c.n; j++ {
			o := c.rec(j)
			if o.doc != d || !sameNames(r, o) {
				continue
			}
			if m++; m > 1 {
				b = append(b, ',')
			}
			b = append(b, `{"Name":`...)
			b = strconv.AppendQuote(b, o.name)
			b = append(b, `,"Unit":`...)
			b = strconv.AppendQuote(b, string(o.unit))
			b = append(b, '}')
		}
		b = append(b, "]}"...)
	}
	b = append(b, `]},"service":`...)
	b = strconv.AppendQuote(b, e.service)
	for i := 0; i < c.n; i++ {
		r := c.rec(i)
		if r.doc != d {
			continue
		}
		for k := 0; k < r.nd; k++ {
			if dm := r.dim(k); !c.seenDim(i, d, dm.Name) {
				b = append(b, ',')
				b = strconv.AppendQuote(b, dm.Name)
				b = append(b, ':')
				b = strconv.AppendQuote(b, dm.Value)
			}
		}
	}
	for i := 0; i < c.n; i++ {
		r := c.rec(i)
		if r.doc != d {
			continue
		}
		b = append(b, ',')
		b = strconv.AppendQuote(b, r.name)
		b = append(b, ':')
		if len(r.more) == 0 {
			b = appendNumber(b, r.value)
			continue
		}
		b = append(b, '[')
		b = appendNumber(b, r.value)
		for _, v := range r.more {
			b = append(b, ',')
			b = appendNumber(b, v)
		}
		b = append(b, ']')
	}
	return append(b, "}\n"...)
}

// seenSet reports whether a record of document d before i has the
// dimension set of record i.
func (c *Collector) seenSet(i, d int) bool {
	r := c.rec(i)
	for j := 0; j < i; j++ {
		if o := c.rec(j); o.doc == d && sameNames(r, o) {
			return true
		}
	}
	return false
}

// seenDim reports whether the dimension name was written for document d:
// by a record before i, or earlier in record i.
func (c *Collector) seenDim(i, d int, name string) bool {
	for j := 0; j < i; j++ {
		o := c.rec(j)
		if o.doc != d {
			continue
		}
		for k := 0; k < o.nd; k++ {
			if o.dim(k).Name == name {
				return true
			}
		}
	}
	return false
}

// appendNumber appends v as a JSON number.
func appendNumber(b []byte, v float64) []byte {
	return strconv.AppendFloat(b, v, 'g', -1, 64)
}
