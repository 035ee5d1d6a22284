import LossKit
let yt = Tensor<Float>([1, 1, 1]), yp = Tensor<Float>([1, 1, 0])
let k = try Keras.BinaryCrossentropy().valueWithGradient(yt, yp)
let tk = try TFKeras.BinaryCrossentropy().valueWithGradient(yt, yp)
print(k.loss, k.gradient, tk.loss, tk.gradient)
let d = try Keras.BinaryCrossentropy().valueWithGradient(Tensor<Double>([1,1,1]), Tensor<Double>([1,1,0]))
print(d.loss)
let l = try Keras.BinaryCrossentropy(fromLogits: true)(yt, yp)
print(l)
