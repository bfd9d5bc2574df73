print("dropsight")
