package refundkit

// NewPay2 is NewPay (Laos) through its v2 API (uniQueryRefund), which NewPay
// recommends over the deprecated v1 of [NewPay].
const NewPay2 Provider = "newpay2"
