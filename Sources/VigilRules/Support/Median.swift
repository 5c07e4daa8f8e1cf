extension UnsafeMutableBufferPointer<Double> {
    /// The median of a non-empty buffer (the mean of the middle two for an even count). Reorders the buffer with
    /// Hoare's quickselect: linear on average, where sorting would be n log n.
    mutating func median() -> Double {
        let middle = count / 2
        let upper = select(middle)
        guard count % 2 == 0 else { return upper }
        // Everything before `middle` is now at most `upper`; the lower middle value is the largest of them.
        var lower = self[0]
        for index in 1..<middle { lower = Swift.max(lower, self[index]) }
        return (lower + upper) / 2
    }

    /// Moves the `k`-th smallest value to index `k`, smaller or equal ones before it, and returns it.
    private mutating func select(_ k: Int) -> Double {
        var low = 0
        var high = count - 1
        while low < high {
            let pivot = self[low + (high - low) / 2]
            var i = low
            var j = high
            while i <= j {
                while self[i] < pivot { i += 1 }
                while self[j] > pivot { j -= 1 }
                if i <= j {
                    swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if k <= j {
                high = j
            } else if k >= i {
                low = i
            } else {
                return self[k]
            }
        }
        return self[k]
    }
}
